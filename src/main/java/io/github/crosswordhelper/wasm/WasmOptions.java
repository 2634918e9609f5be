package io.github.crosswordhelper.wasm;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits for one Wasm component. Immutable; build with {@link #builder()}.
 *
 * @param poolSize instances kept warm; also the most calls that run at once
 * @param maxMemoryPages the most 64 KiB pages an instance may grow to
 * @param callTimeout the deadline of one guest call, including the wait for a free instance
 * @param maxOutputBytes the largest result a guest may return
 */
public record WasmOptions(int poolSize, int maxMemoryPages, Duration callTimeout, int maxOutputBytes) {

    /** Two instances per core, 16 MiB of memory each, 250 ms per call, 1 MiB of output. */
    public static final WasmOptions DEFAULTS = builder().build();

    public WasmOptions {
        if (poolSize < 1 || poolSize > 1024) {
            throw new IllegalArgumentException("poolSize must be in 1..1024, got " + poolSize);
        }
        if (maxMemoryPages < 1 || maxMemoryPages > 65536) {
            throw new IllegalArgumentException("maxMemoryPages must be in 1..65536, got " + maxMemoryPages);
        }
        Objects.requireNonNull(callTimeout, "callTimeout");
        if (callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("callTimeout must be positive, got " + callTimeout);
        }
        if (maxOutputBytes < 1) {
            throw new IllegalArgumentException("maxOutputBytes must be positive, got " + maxOutputBytes);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .withPoolSize(poolSize)
                .withMaxMemoryPages(maxMemoryPages)
                .withCallTimeout(callTimeout)
                .withMaxOutputBytes(maxOutputBytes);
    }

    /** Builds {@link WasmOptions}; {@link #build()} validates every field. */
    public static final class Builder {
        private int poolSize = Math.max(2, 2 * Runtime.getRuntime().availableProcessors());
        private int maxMemoryPages = 256;
        private Duration callTimeout = Duration.ofMillis(250);
        private int maxOutputBytes = 1 << 20;

        private Builder() {}

        public Builder withPoolSize(int poolSize) {
            this.poolSize = poolSize;
            return this;
        }

        public Builder withMaxMemoryPages(int maxMemoryPages) {
            this.maxMemoryPages = maxMemoryPages;
            return this;
        }

        public Builder withCallTimeout(Duration callTimeout) {
            this.callTimeout = callTimeout;
            return this;
        }

        public Builder withMaxOutputBytes(int maxOutputBytes) {
            this.maxOutputBytes = maxOutputBytes;
            return this;
        }

        public WasmOptions build() {
            return new WasmOptions(poolSize, maxMemoryPages, callTimeout, maxOutputBytes);
        }
    }
}
