package io.github.crosswordhelper.wasm;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import io.github.crosswordhelper.wasm.generated.ClueParserModule;
import io.github.crosswordhelper.wasm.generated.PromptBuilderModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Function;
import java.util.function.Supplier;

/** The two components that ship in the jar, built from {@code components/}. */
public enum BuiltInComponent {
    CLUE_PARSER("clue-parser", "parse", ClueParserModule::load, ClueParserModule::create),
    PROMPT_BUILDER("prompt-builder", "build", PromptBuilderModule::load, PromptBuilderModule::create);

    private final String componentName;
    private final String exportName;
    private final Supplier<WasmModule> compiledModule;
    private final Function<Instance, Machine> compiledMachine;

    BuiltInComponent(
            String componentName,
            String exportName,
            Supplier<WasmModule> compiledModule,
            Function<Instance, Machine> compiledMachine) {
        this.componentName = componentName;
        this.exportName = exportName;
        this.compiledModule = compiledModule;
        this.compiledMachine = compiledMachine;
    }

    /** The component's name, e.g. {@code clue-parser}; also the base name of its {@code .wasm} file. */
    public String componentName() {
        return componentName;
    }

    /** The guest function, e.g. {@code parse}. */
    public String exportName() {
        return exportName;
    }

    WasmModule compiledModule() {
        return compiledModule.get();
    }

    Function<Instance, Machine> compiledMachine() {
        return compiledMachine;
    }

    /** The committed {@code .wasm} bytes, shipped as a resource for the interpreter and runtime compiler. */
    public byte[] wasmBytes() {
        String resource = componentName + ".wasm";
        try (InputStream in = BuiltInComponent.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    WasmModule parsedModule() {
        return Parser.parse(wasmBytes());
    }
}
