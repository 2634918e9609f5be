package io.github.crosswordhelper.backend.llama;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of the local llama.cpp backend.
 *
 * @param model the GGUF file
 * @param threads CPU threads for generation and prompt processing (the number of physical cores is a good start)
 * @param contextSize the KV-cache size in tokens, shared by all slots: each slot gets {@code contextSize / parallel}
 * @param parallel the number of slots llama.cpp decodes together (continuous batching)
 * @param queueCapacity how many requests may wait for a slot beyond {@code parallel}; more are refused at once
 * @param nativeTmpDir a private folder the native library is extracted to. The library deletes every
 *     {@code llama*} and {@code jllama*} entry in it on start, so it must not be shared, and must not be the
 *     model's folder
 */
public record LlamaConfig(Path model, int threads, int contextSize, int parallel, int queueCapacity,
        Path nativeTmpDir) {

    public LlamaConfig {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(nativeTmpDir, "nativeTmpDir");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be >= 1, was " + parallel);
        }
        if (queueCapacity < 0) {
            throw new IllegalArgumentException("queueCapacity must be >= 0, was " + queueCapacity);
        }
        if (contextSize < 64 * parallel) {
            throw new IllegalArgumentException(
                    "contextSize must be at least 64 tokens per slot (" + 64 * parallel + "), was " + contextSize);
        }
        Path modelDir = model.toAbsolutePath().normalize().getParent();
        if (modelDir != null && modelDir.equals(nativeTmpDir.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("nativeTmpDir must not be the model's folder: java-llama.cpp deletes "
                    + "llama* files in it on start");
        }
    }

    /** Tokens of context each slot gets. */
    public int slotContext() {
        return contextSize / parallel;
    }
}
