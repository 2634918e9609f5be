package io.github.crosswordhelper.backend.llama;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.Pair;
import io.github.crosswordhelper.BackendException;
import io.github.crosswordhelper.BackendTimeoutException;
import io.github.crosswordhelper.BackendUnavailableException;
import io.github.crosswordhelper.ChatMessage;
import io.github.crosswordhelper.GenerationParameters;
import io.github.crosswordhelper.Prompt;
import io.github.crosswordhelper.backend.Backend;
import io.github.crosswordhelper.backend.BackendListener;
import io.github.crosswordhelper.backend.BackendRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local backend: a GGUF model run in-process by llama.cpp through java-llama.cpp ({@code de.kherud:llama}
 * 4.2.0). Only this package may touch {@code de.kherud.llama}.
 *
 * <p>How it uses the library, and why:
 * <ul>
 *   <li><b>One model per JVM.</b> {@code LlamaModel.close()} frees almost nothing and leaves a non-daemon native
 *       thread behind, and a second model in the same JVM slows generation down. A second {@code LlamaCppBackend}
 *       in the same JVM is refused with {@link IllegalStateException}, even after {@link #close()}.</li>
 *   <li><b>Background load.</b> The model loads on a daemon thread; until then {@link #isReady()} is false and
 *       {@link #generate} throws {@link BackendUnavailableException}. A load failure (missing file, no AVX2, no
 *       {@code libgomp}, unsupported platform, bad GGUF) becomes one {@link BackendException} message for every
 *       later call, never a crash.</li>
 *   <li><b>Slots and admission.</b> llama.cpp decodes {@code parallel} slots together on its own loop thread. At
 *       most {@code parallel + queueCapacity} requests are in flight (running or waiting for a slot); one more is
 *       refused at once with {@link BackendUnavailableException}.</li>
 *   <li><b>Streaming off the caller's thread.</b> A blocked {@code LlamaIterator.next()} sits in native code and
 *       cannot be interrupted, and cancelling a task while another thread waits on it leaves that thread waiting
 *       forever. So each request's native calls run on a worker thread that alone owns the iterator and always
 *       {@code cancel()}s it in {@code finally}; the calling thread waits on a queue of text chunks, calls the
 *       listener, and gives up promptly on interrupt or deadline. The worker sees the cancel flag at its next
 *       token and frees the slot; the request's admission permit is released only then.</li>
 *   <li><b>Prompt.</b> The chat messages are rendered with the model's own chat template
 *       ({@code applyTemplate}; ChatML when the GGUF has none). Text is cleaned by {@link PromptText} first.</li>
 *   <li><b>Grammar.</b> llama.cpp ignores a grammar it cannot parse and generates unconstrained text, so the
 *       grammar is checked by {@link GbnfCheck} first and a bad one is refused.</li>
 *   <li><b>Never used</b>, because they crash the JVM in 4.2.0: {@code setNProbs}, {@code jsonSchemaToGrammar},
 *       token biases, pooling options.</li>
 * </ul>
 *
 * <p>The listener is called on the calling thread: {@link BackendListener#onText} once per streamed chunk (about
 * one token), each followed by {@link BackendListener#onTokens} with the running count of chunks. No exact token
 * counts reach Java; the chunk count equals the generated tokens except that a character split over several byte
 * tokens counts once, and the end-of-sequence token is not counted.
 */
public final class LlamaCppBackend implements Backend {

    /** Upper bound on the rendered prompt, in characters. */
    static final int MAX_PROMPT_CHARS = 32 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(LlamaCppBackend.class);
    private static final AtomicBoolean MODEL_CREATED = new AtomicBoolean();
    private static final Duration LOADING_RETRY = Duration.ofSeconds(2);
    private static final Duration FULL_RETRY = Duration.ofSeconds(1);
    private static final Object DONE = new Object();

    private enum State { LOADING, READY, FAILED, CLOSED }

    private final String name;
    private final LlamaConfig config;
    private final int capacity;
    private final Semaphore admission;
    private final ExecutorService workers;
    private final CountDownLatch loaded = new CountDownLatch(1);
    private volatile State state = State.LOADING;
    private volatile String failure;
    private volatile LlamaModel model;

    /**
     * Starts loading the model in the background and returns at once.
     *
     * @throws IllegalStateException if a {@code LlamaCppBackend} was already created in this JVM
     */
    public LlamaCppBackend(LlamaConfig config) {
        this("local", config);
    }

    /**
     * Starts loading the model in the background and returns at once.
     *
     * @param name what requests pick this backend by, e.g. {@code local-7b}
     * @throws IllegalStateException if a {@code LlamaCppBackend} was already created in this JVM
     */
    public LlamaCppBackend(String name, LlamaConfig config) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        if (!MODEL_CREATED.compareAndSet(false, true)) {
            throw new IllegalStateException("a llama.cpp model was already loaded in this JVM; java-llama.cpp 4.2.0 "
                    + "cannot unload one, and a second model slows both down. Create one LlamaCppBackend per process.");
        }
        this.capacity = config.parallel() + config.queueCapacity();
        this.admission = new Semaphore(capacity);
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "llama-request-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Thread loader = new Thread(this::load, "llama-model-loader");
        loader.setDaemon(true);
        loader.start();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kind() {
        return "local";
    }

    @Override
    public String model() {
        return String.valueOf(config.model().getFileName());
    }

    @Override
    public boolean isReady() {
        return state == State.READY;
    }

    /** Waits for the load to finish; true when the model is ready, false on failure or timeout. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        loaded.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return isReady();
    }

    /**
     * The loaded native model, or null while loading. For benchmarks that compare the backend with direct
     * calls on the same model: a second model in the JVM is refused.
     */
    LlamaModel nativeModel() {
        return model;
    }

    /** Why the model failed to load, or null. */
    public String failure() {
        return failure;
    }

    /** Requests admitted and not yet finished natively (for metrics and tests). */
    public int inFlight() {
        return capacity - admission.availablePermits();
    }

    @Override
    public boolean hasCapacity() {
        return admission.availablePermits() > 0;
    }

    /** The most requests in flight at once: {@code parallel + queueCapacity}. */
    public int capacity() {
        return capacity;
    }

    // ------------------------------------------------------------------------------------------------ loading

    private void load() {
        try {
            preflight();
            Files.createDirectories(config.nativeTmpDir());
            // read once, by LlamaLoader, when the LlamaModel class initialises
            System.setProperty("de.kherud.llama.tmpdir", config.nativeTmpDir().toAbsolutePath().toString());
            ModelParameters parameters = new ModelParameters()
                    .setModel(config.model().toAbsolutePath().toString())
                    .setCtxSize(config.contextSize())
                    .setThreads(config.threads())
                    .setParallel(config.parallel())
                    .skipWarmup()
                    .disableLog();
            LlamaModel m = new LlamaModel(parameters);
            checkHandle(m);
            // smoke test of the template path, so that a broken template fails the load, not a request
            m.applyTemplate(new InferenceParameters("").setMessages("s", List.of(new Pair<>("user", "u"))));
            model = m;
            state = State.READY;
            LOG.info("local model {} loaded: {} threads, {} slots of {} tokens, {} queued at most",
                    model(), config.threads(), config.parallel(), config.slotContext(), config.queueCapacity());
        } catch (LinkageError e) {
            fail("the llama.cpp native library could not be loaded (java-llama.cpp needs Linux or macOS with glibc, "
                    + "libgomp1 and, on x86-64, AVX2): " + e, e);
        } catch (Throwable e) { // LlamaException is package-private in de.kherud.llama
            fail("the local model " + config.model() + " could not be loaded: " + e.getMessage(), e);
        } finally {
            loaded.countDown();
        }
    }

    private void fail(String message, Throwable e) {
        failure = message;
        state = State.FAILED;
        LOG.error(message, e);
    }

    /** What would crash the JVM rather than throw, or fail obscurely, is checked in Java first. */
    private void preflight() throws IOException {
        Path model = config.model();
        if (!Files.isRegularFile(model) || !Files.isReadable(model)) {
            throw new IOException("not a readable file");
        }
        byte[] magic = new byte[4];
        try (InputStream in = Files.newInputStream(model)) {
            if (in.readNBytes(magic, 0, 4) != 4 || !"GGUF".equals(new String(magic, StandardCharsets.US_ASCII))) {
                throw new IOException("not a GGUF file");
            }
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        boolean x86 = arch.equals("amd64") || arch.equals("x86_64");
        if (os.contains("linux") && x86) {
            // the bundled x86-64 library is built for AVX2; without it the first matrix op is SIGILL
            Path cpuinfo = Paths.get("/proc/cpuinfo");
            if (Files.isReadable(cpuinfo)) {
                String flags = Files.readString(cpuinfo, StandardCharsets.ISO_8859_1);
                if (!flags.contains(" avx2")) {
                    throw new IOException("this CPU has no AVX2, which the bundled llama.cpp library needs");
                }
            }
        } else if (!(os.contains("linux") || os.contains("mac") || os.contains("windows"))) {
            throw new IOException("java-llama.cpp has no native library for " + os + "/" + arch);
        }
    }

    /** If llama.cpp rejects its command-line arguments, loadModel returns without error and a null handle. */
    private static void checkHandle(LlamaModel m) throws ReflectiveOperationException {
        var field = LlamaModel.class.getDeclaredField("ctx");
        field.setAccessible(true);
        if (field.getLong(m) == 0L) {
            throw new IllegalStateException("llama.cpp rejected the model parameters");
        }
    }

    // ------------------------------------------------------------------------------------------------ requests

    @Override
    public void generate(BackendRequest request, BackendListener listener) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(listener, "listener");
        switch (state) {
            case LOADING:
                throw new BackendUnavailableException("local model " + model() + " is still loading", LOADING_RETRY);
            case FAILED:
                throw new BackendException(failure);
            case CLOSED:
                throw new BackendUnavailableException("local backend is closed", LOADING_RETRY);
            default:
                break;
        }
        Instant deadline = request.deadline() == null ? Instant.MAX : request.deadline();
        if (!Instant.now().isBefore(deadline)) {
            throw new BackendTimeoutException("deadline passed before local generation started");
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new BackendException("local generation was interrupted", new InterruptedException());
        }
        Job job = prepare(request, deadline);
        if (!admission.tryAcquire()) {
            throw new BackendUnavailableException("local backend queue is full (" + capacity + " in flight)",
                    FULL_RETRY);
        }
        try {
            workers.execute(() -> run(job));
        } catch (RejectedExecutionException e) {
            admission.release();
            throw new BackendUnavailableException("local backend is closed", LOADING_RETRY, e);
        }
        try {
            relay(job, listener, deadline);
        } finally {
            job.cancelled = true; // no-op when finished; otherwise the worker stops at its next token
        }
    }

    /** Waits for chunks from the worker and hands them to the listener, on the calling thread. */
    private static void relay(Job job, BackendListener listener, Instant deadline) {
        int chunks = 0;
        while (true) {
            Object event;
            try {
                if (deadline == Instant.MAX) {
                    event = job.events.take();
                } else {
                    long nanos = Duration.between(Instant.now(), deadline).toNanos();
                    if (nanos <= 0) {
                        throw new BackendTimeoutException("local generation did not finish before the deadline");
                    }
                    event = job.events.poll(nanos, TimeUnit.NANOSECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BackendException("local generation was interrupted", e);
            } catch (ArithmeticException e) { // deadline too far away for nanoseconds
                event = take(job);
            }
            if (event == null) {
                continue; // poll timed out; the loop head throws the timeout
            }
            if (event == DONE) {
                return;
            }
            if (event instanceof Throwable) {
                Throwable t = (Throwable) event;
                throw new BackendException("local generation failed: " + t.getMessage(), t);
            }
            listener.onText((String) event);
            listener.onTokens(++chunks);
            if (Thread.currentThread().isInterrupted()) {
                throw new BackendException("local generation was interrupted", new InterruptedException());
            }
        }
    }

    private static Object take(Job job) {
        try {
            return job.events.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("local generation was interrupted", e);
        }
    }

    /** Runs on a worker thread: the only thread that touches this request's native task. */
    private void run(Job job) {
        try {
            if (job.cancelled || Instant.now().isAfter(job.deadline)) {
                return;
            }
            InferenceParameters p = new InferenceParameters(render(job))
                    .setNPredict(job.maxTokens)
                    .setTemperature(job.temperature);
            if (!job.grammar.isEmpty()) {
                p.setGrammar(job.grammar);
            }
            if (job.stop.length > 0) {
                p.setStopStrings(job.stop);
            }
            if (job.seed != null) {
                p.setSeed(job.seed);
            }
            LlamaIterator it = model.generate(p).iterator();
            try {
                while (!job.cancelled && it.hasNext()) {
                    LlamaOutput out = it.next();
                    if (!out.text.isEmpty()) {
                        job.events.add(out.text);
                    }
                    if (Instant.now().isAfter(job.deadline)) {
                        break;
                    }
                }
            } finally {
                it.cancel(); // frees the slot; harmless after a normal end
            }
        } catch (Throwable t) {
            job.events.add(t);
        } finally {
            job.events.add(DONE);
            admission.release();
        }
    }

    /** The prompt text: the chat rendered by the model's own template, or the flat prompt when there is no chat. */
    private String render(Job job) {
        if (job.messages.isEmpty()) {
            return job.flatPrompt;
        }
        StringBuilder system = new StringBuilder();
        List<Pair<String, String>> turns = new ArrayList<>();
        for (ChatMessage m : job.messages) {
            String role = m.role().toLowerCase(Locale.ROOT);
            if (role.equals("system")) {
                if (system.length() > 0) {
                    system.append("\n\n");
                }
                system.append(m.content());
            } else {
                turns.add(new Pair<>(role.equals("assistant") ? "assistant" : "user", m.content()));
            }
        }
        String rendered = model.applyTemplate(
                new InferenceParameters("").setMessages(system.length() == 0 ? null : system.toString(), turns));
        return PromptText.clean(rendered);
    }

    /** Everything checked and converted on the calling thread, before a permit is taken. */
    private Job prepare(BackendRequest request, Instant deadline) {
        Prompt prompt = Objects.requireNonNull(request.prompt(), "prompt");
        try {
            if (!prompt.isRaw()) {
                GbnfCheck.validate(prompt.grammar());
            }
        } catch (IllegalArgumentException e) {
            throw new BackendException("refusing to send an invalid grammar to llama.cpp (it would be ignored): "
                    + e.getMessage(), e);
        }
        List<ChatMessage> messages = new ArrayList<>();
        int chars = 0;
        for (ChatMessage m : prompt.messages()) {
            ChatMessage clean = new ChatMessage(m.role(), PromptText.cleanContent(m.content()));
            chars += clean.content().length();
            messages.add(clean);
        }
        boolean hasTurn = messages.stream().anyMatch(m -> !m.role().equalsIgnoreCase("system"));
        if (!hasTurn) {
            messages.clear(); // llama.cpp's templates want a user turn; fall back to the flat prompt
        }
        String flat = messages.isEmpty() ? PromptText.clean(prompt.flatPrompt()) : "";
        chars += flat.length();
        if (messages.isEmpty() && flat.isBlank()) {
            throw new BackendException("the prompt is empty");
        }
        if (chars > MAX_PROMPT_CHARS) {
            throw new BackendException("the prompt is too long for the local backend (" + chars + " > "
                    + MAX_PROMPT_CHARS + " characters)");
        }
        GenerationParameters gp = prompt.parameters();
        int maxTokens = Math.max(1, Math.min(gp.maxTokens(), config.slotContext()));
        List<String> stops = new ArrayList<>();
        for (String s : gp.stop()) {
            String c = PromptText.clean(s);
            if (!c.isEmpty()) {
                stops.add(c);
            }
        }
        float temperature = (float) Math.max(0.0, Math.min(2.0, gp.temperature()));
        Integer seed = null;
        if (request.seed() != null && request.seed().isPresent()) {
            long s = request.seed().getAsLong();
            // llama.cpp reads the seed as uint32, and 0xFFFFFFFF means "random": keep it in [0, 2^31-1)
            seed = (int) Math.floorMod(s ^ (s >>> 32), (long) Integer.MAX_VALUE);
        }
        return new Job(List.copyOf(messages), flat, prompt.grammar(), maxTokens, stops.toArray(new String[0]),
                temperature, seed, deadline);
    }

    /**
     * Refuses new requests. The native model is not unloaded: java-llama.cpp 4.2.0 cannot free it, and its
     * native loop thread is non-daemon, so the JVM must be ended with {@code System.exit}.
     */
    @Override
    public void close() {
        state = State.CLOSED;
        workers.shutdown();
    }

    /** One request, shared by the calling thread and its worker. */
    private static final class Job {
        final List<ChatMessage> messages;
        final String flatPrompt;
        final String grammar;
        final int maxTokens;
        final String[] stop;
        final float temperature;
        final Integer seed;
        final Instant deadline;
        final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
        volatile boolean cancelled;

        Job(List<ChatMessage> messages, String flatPrompt, String grammar, int maxTokens, String[] stop,
                float temperature, Integer seed, Instant deadline) {
            this.messages = messages;
            this.flatPrompt = flatPrompt;
            this.grammar = grammar;
            this.maxTokens = maxTokens;
            this.stop = stop;
            this.temperature = temperature;
            this.seed = seed;
            this.deadline = deadline;
        }
    }
}
