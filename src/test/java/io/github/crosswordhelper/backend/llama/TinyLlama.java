package io.github.crosswordhelper.backend.llama;

import io.github.crosswordhelper.backend.Backend;
import io.github.crosswordhelper.backend.BackendListener;
import io.github.crosswordhelper.backend.BackendRequest;
import io.github.crosswordhelper.tools.TinyModelGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The one tiny llama.cpp model of a test JVM. java-llama.cpp cannot unload a model and a second one in the
 * same process is refused, so every test that needs the local backend shares this instance.
 */
public final class TinyLlama {
    /** The tiny model's file, generated with seed 7 into {@code target/}. */
    public static final Path MODEL = Path.of("target", "tiny-llama", "tiny.gguf");

    private static LlamaCppBackend backend;

    private TinyLlama() {}

    /** The shared backend, loaded on first use; one thread, four slots, four queued. */
    public static synchronized LlamaCppBackend backend() {
        if (backend == null) {
            try {
                TinyModelGenerator.write(MODEL, 7);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            backend = new LlamaCppBackend("local", new LlamaConfig(
                    MODEL.toAbsolutePath(), 1, 8192, 4, 4, Path.of("target", "tiny-llama", "native").toAbsolutePath()));
            try {
                if (!backend.awaitReady(Duration.ofSeconds(60))) {
                    throw new IllegalStateException("tiny model failed to load: " + backend.failure());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return backend;
    }

    /** The shared backend behind a wrapper whose {@code close()} does nothing, for helpers that close theirs. */
    public static Backend unclosable() {
        LlamaCppBackend b = backend();
        return new Backend() {
            @Override
            public String name() {
                return b.name();
            }

            @Override
            public String kind() {
                return b.kind();
            }

            @Override
            public String model() {
                return b.model();
            }

            @Override
            public boolean isReady() {
                return b.isReady();
            }

            @Override
            public void generate(BackendRequest request, BackendListener listener) {
                b.generate(request, listener);
            }
        };
    }
}
