package io.github.crosswordhelper.backend.llama;

import io.github.crosswordhelper.backend.Backend;
import io.github.crosswordhelper.backend.BackendContractTest;

/** The contract on the real JNI path, with the project's tiny random-weight model. */
class LlamaContractTest extends BackendContractTest {
    @Override
    protected Backend createBackend() {
        return TinyLlama.unclosable();
    }

    @Override
    protected String expectedName() {
        return "local";
    }
}
