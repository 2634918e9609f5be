package io.github.crosswordhelper.backend.llama;

import io.github.crosswordhelper.backend.Backend;
import io.github.crosswordhelper.backend.BackendListener;
import io.github.crosswordhelper.backend.BackendRequest;
import java.util.concurrent.atomic.AtomicLong;

/** A backend that passes everything through and adds up the tokens generated, for the benchmarks. */
final class TokenCountingBackend implements Backend {
    private final Backend delegate;
    private final AtomicLong tokens = new AtomicLong();

    TokenCountingBackend(Backend delegate) {
        this.delegate = delegate;
    }

    long tokens() {
        return tokens.get();
    }

    void reset() {
        tokens.set(0);
    }

    @Override public String name() { return delegate.name(); }
    @Override public String model() { return delegate.model(); }
    @Override public boolean isReady() { return delegate.isReady(); }
    @Override public boolean hasCapacity() { return delegate.hasCapacity(); }

    @Override
    public void generate(BackendRequest request, BackendListener listener) {
        delegate.generate(request, new BackendListener() {
            private int last;

            @Override public void onText(String delta) { listener.onText(delta); }
            @Override public void onCandidate(String a, double s, String src) { listener.onCandidate(a, s, src); }

            @Override
            public void onTokens(int generated) {
                tokens.addAndGet(generated - last);
                last = generated;
                listener.onTokens(generated);
            }
        });
    }
}
