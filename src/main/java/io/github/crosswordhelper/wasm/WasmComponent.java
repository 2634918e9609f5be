package io.github.crosswordhelper.wasm;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.InterpreterMachine;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.ValType;
import io.github.crosswordhelper.ComponentException;
import io.github.crosswordhelper.ComponentTimeoutException;
import io.github.crosswordhelper.ServiceUnavailableException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One Wasm component that maps a UTF-8 JSON string to a UTF-8 JSON string through the canonical-ABI core
 * layout described in {@code components/README.md}: {@code cabi_realloc} for the argument, a return area
 * holding {@code (ptr, len)}, and {@code cabi_post_<export>} to free the result.
 *
 * <p>The module is parsed and compiled once. A Chicory {@code Instance} is not thread-safe, so this class
 * keeps a pool of instances and gives each call its own. Every call has a deadline: past it the calling
 * thread is interrupted (Chicory checks the flag at calls and loop back-edges), the instance is thrown away
 * and a {@link ComponentTimeoutException} is raised. An instance that traps, runs out of memory or breaks
 * the interface is also thrown away, so one bad input never poisons later calls.
 *
 * <p>Thread-safe. The owner closes it; {@link #call} after {@link #close()} fails.
 */
public final class WasmComponent implements AutoCloseable {

    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "wasm-deadline");
        t.setDaemon(true);
        return t;
    });

    /** The deadline of warm-up calls at start-up, unless the configured call timeout is longer. */
    static final Duration WARM_UP_TIMEOUT = Duration.ofSeconds(2);

    private final String name;
    private final String exportName;
    private final ExecutionMode mode;
    private final WasmOptions options;
    private final WasmModule module;
    private final Function<Instance, Machine> machineFactory;
    private final MemoryLimits memoryLimits;
    private final ConcurrentLinkedQueue<Guest> idle = new ConcurrentLinkedQueue<>();
    private final Semaphore permits;
    private volatile boolean closed;

    private WasmComponent(
            String name,
            String exportName,
            ExecutionMode mode,
            WasmOptions options,
            WasmModule module,
            Function<Instance, Machine> machineFactory) {
        this.name = name;
        this.exportName = exportName;
        this.mode = mode;
        this.options = options;
        this.module = module;
        this.machineFactory = machineFactory;
        this.memoryLimits = memoryLimits(name, module, options);
        this.permits = new Semaphore(options.poolSize(), true);
        checkInterface(name, module, exportName);
    }

    /**
     * Loads a built-in component.
     *
     * @param mode {@link ExecutionMode#BUILD_TIME_COMPILED} for the fast path; the other modes run the same
     *     committed {@code .wasm} and exist for comparison
     * @param warmUpInput a valid input to call once on every pooled instance, or {@code null} to skip
     * @throws ComponentException when the component cannot be instantiated or fails its warm-up
     */
    public static WasmComponent builtIn(
            BuiltInComponent component, ExecutionMode mode, WasmOptions options, String warmUpInput) {
        Objects.requireNonNull(component, "component");
        WasmModule module;
        Function<Instance, Machine> factory;
        switch (mode) {
            case BUILD_TIME_COMPILED -> {
                module = component.compiledModule();
                factory = component.compiledMachine();
            }
            case RUNTIME_COMPILED -> {
                module = component.parsedModule();
                factory = MachineFactoryCompiler.compile(module);
            }
            case INTERPRETED -> {
                module = component.parsedModule();
                factory = InterpreterMachine::new;
            }
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
        return start(new WasmComponent(
                component.componentName(), component.exportName(), mode, options, module, factory), warmUpInput);
    }

    /**
     * Loads a user-supplied {@code .wasm} that replaces a built-in component at run time.
     *
     * @param mode {@link ExecutionMode#RUNTIME_COMPILED} or {@link ExecutionMode#INTERPRETED}
     * @throws ComponentException when the file is unreadable, is not valid Wasm, lacks an export of the guest
     *     interface, imports anything, or fails its warm-up
     */
    public static WasmComponent fromFile(
            BuiltInComponent replaces, Path wasm, ExecutionMode mode, WasmOptions options, String warmUpInput) {
        String name = replaces.componentName() + " (" + wasm + ")";
        if (mode == ExecutionMode.BUILD_TIME_COMPILED) {
            throw new IllegalArgumentException("a user component cannot be build-time compiled; use RUNTIME_COMPILED");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(wasm);
        } catch (IOException e) {
            throw new ComponentException(name, "cannot read the file: " + e, e);
        }
        WasmModule module;
        try {
            module = Parser.parse(bytes);
        } catch (RuntimeException e) {
            throw new ComponentException(name, "not a valid WebAssembly module: " + e.getMessage(), e);
        }
        Function<Instance, Machine> factory;
        try {
            factory = mode == ExecutionMode.INTERPRETED ? InterpreterMachine::new : MachineFactoryCompiler.compile(module);
        } catch (RuntimeException e) {
            throw new ComponentException(name, "cannot be compiled: " + e.getMessage(), e);
        }
        return start(new WasmComponent(name, replaces.exportName(), mode, options, module, factory), warmUpInput);
    }

    private static WasmComponent start(WasmComponent component, String warmUpInput) {
        try {
            component.warmUp(warmUpInput);
            return component;
        } catch (RuntimeException e) {
            component.close();
            throw e;
        }
    }

    /** Instantiates the whole pool up front, so a broken module fails at start-up, not on a request. */
    private void warmUp(String warmUpInput) {
        for (int i = 0; i < options.poolSize(); i++) {
            idle.add(newGuest());
        }
        if (warmUpInput != null) {
            // The first calls load and verify the generated classes and run cold code: give them room, so
            // a busy machine at start-up does not fail a healthy component.
            Duration generous = options.callTimeout().compareTo(WARM_UP_TIMEOUT) > 0 ? options.callTimeout() : WARM_UP_TIMEOUT;
            for (int i = 0; i < options.poolSize(); i++) {
                call(warmUpInput, generous);
            }
        }
    }

    /** The component's name, for errors and logs. */
    public String name() {
        return name;
    }

    public ExecutionMode mode() {
        return mode;
    }

    public WasmOptions options() {
        return options;
    }

    /**
     * Calls the guest function with one string and returns its string.
     *
     * @throws ComponentTimeoutException when the guest runs past {@link WasmOptions#callTimeout()}
     * @throws ServiceUnavailableException when no instance frees up within {@link WasmOptions#callTimeout()}:
     *     the service is overloaded, not the guest broken
     * @throws ComponentException when the guest traps or breaks the interface
     */
    public String call(String input) {
        return call(input, options.callTimeout());
    }

    private String call(String input, Duration timeout) {
        Objects.requireNonNull(input, "input");
        if (closed) {
            throw new IllegalStateException(name + " is closed");
        }
        try {
            if (!permits.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new ServiceUnavailableException(
                        name + ": all " + options.poolSize() + " instances are busy", Duration.ofSeconds(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ComponentException(name, "interrupted while waiting for a free instance", e);
        }
        try {
            Guest guest = idle.poll();
            if (guest == null) {
                guest = newGuest();
            }
            // The guest's own deadline starts now: time spent queueing for an instance is overload (503
            // above), not the guest's fault, and must not turn into a 500.
            long deadlineNanos = System.nanoTime() + timeout.toNanos();
            String result = guest.callWithDeadline(input.getBytes(StandardCharsets.UTF_8), deadlineNanos, timeout);
            // Only an instance that finished cleanly goes back; a failed one is garbage.
            idle.add(guest);
            return result;
        } finally {
            permits.release();
        }
    }

    @Override
    public void close() {
        closed = true;
        idle.clear();
    }

    private Guest newGuest() {
        try {
            Instance instance = Instance.builder(module)
                    .withMachineFactory(machineFactory)
                    .withMemoryFactory(ByteArrayMemory::new)
                    .withMemoryLimits(memoryLimits)
                    .build();
            return new Guest(instance);
        } catch (ChicoryException | IllegalArgumentException | IllegalStateException e) {
            throw new ComponentException(name, "cannot be instantiated: " + e.getMessage(), e);
        }
    }

    private static MemoryLimits memoryLimits(String name, WasmModule module, WasmOptions options) {
        var section = module.memorySection();
        if (section.isEmpty() || section.get().memoryCount() != 1) {
            throw new ComponentException(name, "must define exactly one memory");
        }
        MemoryLimits declared = section.get().getMemory(0).limits();
        int initial = declared.initialPages();
        if (initial > options.maxMemoryPages()) {
            throw new ComponentException(name, "needs " + initial + " memory pages at start, but the limit is "
                    + options.maxMemoryPages());
        }
        int max = Math.min(declared.maximumPages(), options.maxMemoryPages());
        return new MemoryLimits(initial, max);
    }

    /** Checks the exports and imports against the guest interface before any instance exists. */
    private static void checkInterface(String name, WasmModule module, String exportName) {
        if (module.importSection().importCount() > 0) {
            var first = module.importSection().getImport(0);
            throw new ComponentException(name, "imports " + first.module() + "." + first.name()
                    + ", but components must be self-contained (no imports)");
        }
        Map<String, ExternalType> exports = new HashMap<>();
        Map<String, Integer> functionIndex = new HashMap<>();
        var section = module.exportSection();
        for (int i = 0; i < section.exportCount(); i++) {
            var export = section.getExport(i);
            exports.put(export.name(), export.exportType());
            functionIndex.put(export.name(), export.index());
        }
        requireExport(name, exports, "memory", ExternalType.MEMORY);
        List<ValType> i32 = List.of(ValType.I32);
        requireFunction(name, module, exports, functionIndex, "cabi_realloc",
                List.of(ValType.I32, ValType.I32, ValType.I32, ValType.I32), i32);
        requireFunction(name, module, exports, functionIndex, exportName, List.of(ValType.I32, ValType.I32), i32);
        requireFunction(name, module, exports, functionIndex, "cabi_post_" + exportName, i32, List.of());
    }

    private static void requireExport(String name, Map<String, ExternalType> exports, String export, ExternalType type) {
        ExternalType actual = exports.get(export);
        if (actual == null) {
            throw new ComponentException(name, "does not export " + type.name().toLowerCase() + " '" + export + "'");
        }
        if (actual != type) {
            throw new ComponentException(name, "exports '" + export + "' as " + actual + ", expected " + type);
        }
    }

    private static void requireFunction(
            String name,
            WasmModule module,
            Map<String, ExternalType> exports,
            Map<String, Integer> functionIndex,
            String export,
            List<ValType> params,
            List<ValType> results) {
        requireExport(name, exports, export, ExternalType.FUNCTION);
        int index = functionIndex.get(export);
        int imported = module.importSection().count(ExternalType.FUNCTION);
        FunctionType type = module.typeSection().getType(module.functionSection().getFunctionType(index - imported));
        if (!type.params().equals(params) || !type.returns().equals(results)) {
            throw new ComponentException(name, "export '" + export + "' has type " + type.params() + " -> "
                    + type.returns() + ", expected " + params + " -> " + results);
        }
    }

    /** One instance with its exports bound once. Confined to one thread at a time by the pool. */
    private final class Guest {
        private final Instance instance;
        private final com.dylibso.chicory.runtime.ExportFunction realloc;
        private final com.dylibso.chicory.runtime.ExportFunction function;
        private final com.dylibso.chicory.runtime.ExportFunction postReturn;

        Guest(Instance instance) {
            this.instance = instance;
            this.realloc = instance.export("cabi_realloc");
            this.function = instance.export(exportName);
            this.postReturn = instance.export("cabi_post_" + exportName);
        }

        String callWithDeadline(byte[] input, long deadlineNanos, Duration timeout) {
            long remaining = deadlineNanos - System.nanoTime();
            Thread caller = Thread.currentThread();
            Deadline deadline = new Deadline(caller);
            ScheduledFuture<?> timer = DEADLINES.schedule(deadline::expire, remaining, TimeUnit.NANOSECONDS);
            try {
                return callRaw(input);
            } catch (RuntimeException | StackOverflowError e) {
                if (deadline.finish()) {
                    throw new ComponentTimeoutException(name, "call exceeded its deadline of "
                            + timeout.toMillis() + " ms and was interrupted");
                }
                throw translate(e);
            } finally {
                timer.cancel(false);
                if (deadline.finish()) {
                    // The timer fired after the guest returned: the result is good, but the flag must go.
                    Thread.interrupted();
                }
            }
        }

        private RuntimeException translate(Throwable e) {
            if (e instanceof ComponentException ce) {
                return ce;
            }
            if (e instanceof StackOverflowError) {
                return new ComponentException(name, "trapped: call stack exhausted", e);
            }
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (e instanceof com.dylibso.chicory.runtime.ChicoryInterruptedException) {
                Thread.currentThread().interrupt();
                return new ComponentException(name, "interrupted", e);
            }
            return new ComponentException(name, "trapped: " + message, e);
        }

        private String callRaw(byte[] input) {
            var memory = instance.memory();
            int argPtr = (int) realloc.apply(0, 0, 1, input.length)[0];
            if (argPtr == 0 && input.length > 0) {
                // The guest's "out of memory". Writing the argument at address 0 anyway would overwrite the
                // guest's own memory and hand it a null pointer: it then answers as if the request were empty.
                throw new ComponentException(name, "cabi_realloc could not allocate " + input.length
                        + " bytes for the argument (memory is limited to " + memoryLimits.maximumPages() + " pages)");
            }
            checkRange(argPtr, input.length, memory.pages(), "cabi_realloc returned");
            memory.write(argPtr, input);
            int retArea = (int) function.apply(argPtr, input.length)[0];
            checkRange(retArea, 8, memory.pages(), exportName + " returned a return area");
            int outPtr = memory.readInt(retArea);
            int outLen = memory.readInt(retArea + 4);
            if (outLen < 0 || outLen > options.maxOutputBytes()) {
                throw new ComponentException(name, "returned a result of " + Integer.toUnsignedString(outLen)
                        + " bytes, more than the limit of " + options.maxOutputBytes());
            }
            checkRange(outPtr, outLen, memory.pages(), exportName + " returned a string");
            byte[] out = memory.readBytes(outPtr, outLen);
            postReturn.apply(retArea);
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(out))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new ComponentException(name, "returned a string that is not valid UTF-8", e);
            }
        }

        private void checkRange(int ptr, int len, int pages, String what) {
            long end = Integer.toUnsignedLong(ptr) + Integer.toUnsignedLong(len);
            long size = (long) pages * 65536L;
            if (end > size) {
                throw new ComponentException(name, what + " [" + Integer.toUnsignedString(ptr) + ", +"
                        + Integer.toUnsignedString(len) + ") outside its " + size + "-byte memory");
            }
        }
    }

    /**
     * The race between the guest returning and the timer firing, settled under one lock: exactly one of
     * {@link #expire()} and the first {@link #finish()} wins.
     */
    private static final class Deadline {
        private final Thread thread;
        private boolean done;
        private boolean expired;

        Deadline(Thread thread) {
            this.thread = thread;
        }

        synchronized void expire() {
            if (!done) {
                expired = true;
                done = true;
                thread.interrupt();
            }
        }

        /** Marks the call finished; returns whether the deadline fired (and interrupted the thread) first. */
        synchronized boolean finish() {
            done = true;
            return expired;
        }
    }
}
