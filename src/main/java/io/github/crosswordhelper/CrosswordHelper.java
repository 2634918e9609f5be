package io.github.crosswordhelper;

import io.github.crosswordhelper.backend.Backend;
import io.github.crosswordhelper.backend.BackendListener;
import io.github.crosswordhelper.backend.BackendRequest;
import io.github.crosswordhelper.backend.thesaurus.ThesaurusBackend;
import io.github.crosswordhelper.filter.AnswerFilter;
import io.github.crosswordhelper.filter.AnswerKey;
import io.github.crosswordhelper.filter.Blocklist;
import io.github.crosswordhelper.filter.CandidateExtractor;
import io.github.crosswordhelper.internal.ComponentCodec;
import io.github.crosswordhelper.wasm.BuiltInComponent;
import io.github.crosswordhelper.wasm.ExecutionMode;
import io.github.crosswordhelper.wasm.WasmComponent;
import io.github.crosswordhelper.wasm.WasmOptions;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * The library's entry point: parses crossword clues, builds model prompts, and suggests answers that fit
 * the grid. It has no HTTP dependency; the service's HTTP layer is a thin adapter over it.
 *
 * <pre>{@code
 * try (CrosswordHelper helper = CrosswordHelper.builder().build()) {
 *     SuggestResponse r = helper.suggest(ClueRequest.builder("Shade of pink").pattern("S?????").build());
 *     r.suggestions(); // SALMON, ...: every one six letters, starting with S
 * }
 * }</pre>
 *
 * <p>Every suggestion, from every backend, has passed the {@link AnswerFilter}: it has the right length,
 * word lengths and known letters, and is not excluded or offensive.
 *
 * <p>Thread-safe: one instance serves any number of threads; each Wasm call gets its own pooled
 * instance. Build it once and share it. It owns its backends: {@link #close()} closes them and the Wasm
 * pools, and calls after close fail.
 */
public final class CrosswordHelper implements AutoCloseable {

    /** A valid clue, used to warm every pooled instance at start-up. */
    static final String WARM_UP_CLUE = "Bourne Identity star (4,5)";

    private final WasmComponent clueParser;
    private final WasmComponent promptBuilder;
    private final Map<String, Backend> backends;
    private final List<String> backendOrder;
    private final ThesaurusBackend thesaurus;
    private final String defaultBackend;
    private final Duration requestTimeout;
    private final boolean allowVulgar;
    private final Blocklist blocklist;
    private final List<String> fallback;
    private final Cache<CacheKey, SuggestResponse> cache;
    private final CrosswordMetrics metrics;
    private final int maxInFlight;
    private final Map<String, java.util.concurrent.Semaphore> admissions;

    private CrosswordHelper(Builder builder) {
        String warmUpParse = ComponentCodec.parseInput(ClueRequest.of(WARM_UP_CLUE));
        this.clueParser = load(BuiltInComponent.CLUE_PARSER, builder.clueParserWasm, builder, warmUpParse);
        try {
            ParsedClue warmClue = ComponentCodec.parsedClue(clueParser.name(), clueParser.call(warmUpParse));
            this.promptBuilder = load(
                    BuiltInComponent.PROMPT_BUILDER,
                    builder.promptBuilderWasm,
                    builder,
                    ComponentCodec.promptInput(warmClue));
        } catch (RuntimeException e) {
            clueParser.close();
            throw e;
        }
        this.allowVulgar = builder.allowVulgar;
        this.metrics = builder.metrics;
        this.blocklist = allowVulgar ? Blocklist.NONE : Blocklist.builtIn();
        this.requestTimeout = builder.requestTimeout;
        Map<String, Backend> byName = new LinkedHashMap<>();
        ThesaurusBackend found = null;
        for (Backend b : builder.backends) {
            if (byName.putIfAbsent(b.name(), b) != null) {
                throw new IllegalArgumentException("two backends are named '" + b.name() + "'");
            }
            if (found == null && b instanceof ThesaurusBackend t) {
                found = t;
            }
        }
        if (found == null) {
            // The word search and the offline default both need WordNet; it loads in the background.
            found = new ThesaurusBackend(allowVulgar).start();
            byName.putIfAbsent(found.name(), found);
        }
        this.thesaurus = found;
        this.backends = Map.copyOf(byName);
        String chosen = builder.defaultBackend != null
                ? builder.defaultBackend
                : builder.backends.isEmpty() ? thesaurus.name() : builder.backends.get(0).name();
        if (!backends.containsKey(chosen)) {
            throw new IllegalArgumentException("default backend '" + chosen + "' is not configured; configured: "
                    + String.join(", ", byName.keySet()));
        }
        this.defaultBackend = chosen;
        for (String name : builder.fallback) {
            if (!backends.containsKey(name)) {
                throw new IllegalArgumentException("fallback backend '" + name + "' is not configured; configured: "
                        + String.join(", ", byName.keySet()));
            }
        }
        this.fallback = List.copyOf(builder.fallback);
        this.maxInFlight = builder.maxInFlight;
        Map<String, java.util.concurrent.Semaphore> sems = new LinkedHashMap<>();
        byName.keySet().forEach(n -> sems.put(n, new java.util.concurrent.Semaphore(maxInFlight)));
        this.admissions = Map.copyOf(sems);
        this.cache = builder.cacheMaxEntries > 0
                ? Caffeine.newBuilder().maximumSize(builder.cacheMaxEntries).expireAfterWrite(builder.cacheTtl).build()
                : null;
        this.backendOrder = List.copyOf(byName.keySet());
    }

    private static WasmComponent load(BuiltInComponent which, Path userWasm, Builder builder, String warmUp) {
        if (userWasm == null) {
            return WasmComponent.builtIn(which, builder.builtInMode, builder.wasmOptions, warmUp);
        }
        return WasmComponent.fromFile(which, userWasm, builder.userComponentMode, builder.wasmOptions, warmUp);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses a clue: enumeration, length, normalised pattern, count and kind.
     *
     * @throws InvalidRequestException when the request is wrong, e.g. a pattern that contradicts the
     *     enumeration; the detail says how
     * @throws ComponentException when the clue-parser component fails
     * @throws ServiceUnavailableException when every parser instance stays busy past the call deadline
     */
    public ParsedClue parse(ClueRequest request) {
        Objects.requireNonNull(request, "request");
        String input = ComponentCodec.parseInput(request);
        return ComponentCodec.parsedClue(clueParser.name(), timed("clue-parser", clueParser, input));
    }

    private String timed(String component, WasmComponent wasm, String input) {
        long start = System.nanoTime();
        boolean ok = false;
        try {
            String out = wasm.call(input);
            ok = true;
            return out;
        } finally {
            metrics.wasmCall(component, System.nanoTime() - start, ok);
        }
    }

    /**
     * Builds the chat messages, flat prompt, grammar and generation parameters for a parsed clue.
     *
     * @throws ComponentException when the prompt-builder component fails
     */
    public Prompt prompt(ParsedClue clue) {
        Objects.requireNonNull(clue, "clue");
        return ComponentCodec.prompt(promptBuilder.name(),
                timed("prompt-builder", promptBuilder, ComponentCodec.promptInput(clue)));
    }

    /** Suggests answers; the same as {@link #suggest(ClueRequest, SuggestionListener)} without streaming. */
    public SuggestResponse suggest(ClueRequest request) {
        return suggest(request, SuggestionListener.NONE);
    }

    /**
     * Suggests answers that fit, streaming each accepted answer and each rejected candidate to the
     * listener as the backend produces them. Blocks until the backend is done or the request deadline
     * passes.
     *
     * @throws InvalidRequestException for a bad request or an unknown backend name (400)
     * @throws BackendUnavailableException when the backend is loading, full or unreachable (503, retriable)
     * @throws BackendTimeoutException when the backend misses the request deadline (504)
     * @throws BackendException when the backend fails (502)
     * @throws ComponentException when a Wasm component fails (500)
     */
    public SuggestResponse suggest(ClueRequest request, SuggestionListener listener) {
        Objects.requireNonNull(listener, "listener");
        long start = System.nanoTime();
        // One deadline for the whole pipeline: parse, prompt, queueing and the backend.
        Instant deadline = Instant.now().plus(requestTimeout);
        Backend chosen = backend(request.backend());
        if (fallback.isEmpty()) {
            refuseEarlyIfFull(chosen);
        }
        ParsedClue clue = parse(request);
        java.util.Set<String> excluded =
                request.exclude().stream().map(e -> AnswerKey.of(e).key()).collect(Collectors.toUnmodifiableSet());
        if (cache == null) {
            return compute(request, clue, excluded, chosen, listener, start, deadline);
        }
        CacheKey key = new CacheKey(clue.text().toLowerCase(java.util.Locale.ROOT), clue.enumeration(), clue.pattern(),
                clue.count(), chosen.name(), excluded, request.seed());
        SuggestResponse hit = cache.getIfPresent(key);
        metrics.cache(hit != null);
        if (hit != null) {
            hit.suggestions().forEach(listener::onSuggestion);
            hit.rejected().forEach(listener::onRejected);
            return hit.fromCache();
        }
        if (listener == SuggestionListener.NONE) {
            // Caffeine runs one computation per key: concurrent identical misses make one backend call.
            return cache.get(key, k -> compute(request, clue, excluded, chosen, listener, start, deadline));
        }
        SuggestResponse fresh = compute(request, clue, excluded, chosen, listener, start, deadline);
        cache.put(key, fresh);
        return fresh;
    }

    private SuggestResponse compute(ClueRequest request, ParsedClue clue, java.util.Set<String> excluded,
            Backend chosen, SuggestionListener listener, long start, Instant deadline) {
        long parsed = System.nanoTime();
        Prompt prompt = prompt(clue);
        long prompted = System.nanoTime();
        BackendRequest backendRequest = new BackendRequest(
                clue,
                prompt,
                excluded,
                request.seed() == null ? OptionalLong.empty() : OptionalLong.of(request.seed()),
                deadline);
        List<Backend> chain = new ArrayList<>();
        chain.add(chosen);
        for (String name : fallback) {
            Backend b = backends.get(name);
            if (!chain.contains(b)) {
                chain.add(b);
            }
        }
        BackendUnavailableException firstFailure = null;
        for (Backend backend : chain) {
            if (!backend.isReady()) {
                if (firstFailure == null) {
                    firstFailure = new BackendUnavailableException(
                            "backend '" + backend.name() + "' is still loading " + backend.model(), Duration.ofSeconds(2));
                }
                continue;
            }
            java.util.concurrent.Semaphore admission = admissions.get(backend.name());
            if (!admission.tryAcquire()) {
                if (firstFailure == null) {
                    firstFailure = new BackendUnavailableException("backend '" + backend.name() + "' has "
                            + maxInFlight + " requests in flight, its limit", Duration.ofSeconds(1));
                }
                continue;
            }
            AnswerFilter filter = new AnswerFilter(clue, excluded, blocklist);
            Collector collector = new Collector(filter, clue.count(), listener);
            long called = System.nanoTime();
            String outcome = "error";
            try {
                backend.generate(backendRequest, collector);
                outcome = "ok";
            } catch (BackendUnavailableException e) {
                outcome = "unavailable";
                // Down or full before it produced anything: the next backend in the chain may serve.
                if (collector.emitted()) {
                    throw e;
                }
                if (firstFailure == null) {
                    firstFailure = e;
                }
                continue;
            } catch (BackendTimeoutException e) {
                outcome = "timeout";
                throw e;
            } finally {
                admission.release();
                metrics.backendCall(backend.name(), System.nanoTime() - called, outcome);
                if (collector.tokens > 0) {
                    metrics.tokens(backend.name(), collector.tokens);
                }
            }
            collector.finish();
            long done = System.nanoTime();
            List<Suggestion> ranked = filter.ranked();
            return new SuggestResponse(
                    clue,
                    ranked.subList(0, Math.min(clue.count(), ranked.size())),
                    filter.rejected(),
                    new BackendInfo(backend.name(), backend.model()),
                    new Timings(ms(parsed - start), ms(prompted - parsed), ms(done - prompted), ms(done - start)),
                    false);
        }
        throw firstFailure;
    }

    /**
     * Under overload the refusal must be fast: a full or loading backend with no fallback is refused
     * before the Wasm calls, which would otherwise queue behind the requests that do get through.
     */
    private void refuseEarlyIfFull(Backend backend) {
        if (!backend.isReady()) {
            throw new BackendUnavailableException(
                    "backend '" + backend.name() + "' is still loading " + backend.model(), Duration.ofSeconds(2));
        }
        if (admissions.get(backend.name()).availablePermits() == 0 || !backend.hasCapacity()) {
            throw new BackendUnavailableException(
                    "backend '" + backend.name() + "' is at capacity; retry shortly", Duration.ofSeconds(1));
        }
    }

    /** What makes two requests the same for the cache: the normalised clue, the backend, exclusions, seed. */
    private record CacheKey(String text, List<Integer> enumeration, String pattern, int count, String backend,
            java.util.Set<String> exclude, Long seed) {}

    /**
     * Dictionary words that match a pattern, with no clue and no model: {@code P?NK} gives PINK, PUNK, ...
     *
     * @param pattern letters, {@code ?}/{@code .}/{@code _} for unknowns, {@code *} for any run
     * @throws InvalidRequestException for an empty or invalid pattern
     * @throws BackendUnavailableException while WordNet is still loading
     */
    public List<String> words(String pattern, int limit) {
        if (pattern == null || pattern.isBlank()) {
            throw new InvalidRequestException("pattern", "pattern is required");
        }
        if (limit < 1 || limit > 1000) {
            throw new InvalidRequestException("limit", "limit must be between 1 and 1000, got " + limit);
        }
        ParsedClue parsed = parse(ClueRequest.builder("pattern search").pattern(pattern).build());
        if (!thesaurus.isReady()) {
            throw new BackendUnavailableException("WordNet is still loading", Duration.ofSeconds(2));
        }
        return thesaurus.thesaurus().words(parsed.pattern(), limit, allowVulgar);
    }

    /**
     * Runs a raw prompt, with no clue, grammar or filter, on the first language-model backend: the default
     * one if it is a model, else the first configured model. This is what {@code POST /infer} serves, so a
     * Spin app or another instance of this service can use this one as its remote LLM.
     *
     * @throws InvalidRequestException when only the thesaurus is configured, or the prompt is empty
     */
    public InferResult infer(String rawPrompt, int maxTokens, double temperature) {
        if (rawPrompt == null || rawPrompt.isBlank()) {
            throw new InvalidRequestException("prompt", "prompt is empty");
        }
        Backend model = languageModel().orElseThrow(() -> new InvalidRequestException("backend",
                "no language model is configured behind this service (only the thesaurus)"));
        if (!model.isReady()) {
            throw new BackendUnavailableException(
                    "backend '" + model.name() + "' is still loading " + model.model(), Duration.ofSeconds(2));
        }
        StringBuilder text = new StringBuilder();
        int[] tokens = {0};
        ParsedClue none = new ParsedClue(rawPrompt, List.of(), null, null, 1, ClueKind.DEFINITION, List.of());
        model.generate(
                new BackendRequest(none, Prompt.raw(rawPrompt, maxTokens, temperature), java.util.Set.of(),
                        OptionalLong.empty(), Instant.now().plus(requestTimeout)),
                new BackendListener() {
                    @Override
                    public void onText(String delta) {
                        text.append(delta);
                    }

                    @Override
                    public void onCandidate(String answer, double score, String source) {
                        text.append(answer).append('\n');
                    }

                    @Override
                    public void onTokens(int generated) {
                        tokens[0] = generated;
                    }
                });
        return new InferResult(text.toString(), (rawPrompt.length() + 3) / 4, tokens[0],
                new BackendInfo(model.name(), model.model()));
    }

    private java.util.Optional<Backend> languageModel() {
        Backend d = backends.get(defaultBackend);
        if (!d.kind().equals("thesaurus")) {
            return java.util.Optional.of(d);
        }
        return backendOrder.stream().map(backends::get).filter(b -> !b.kind().equals("thesaurus")).findFirst();
    }

    /** The configured backends, in configuration order, with their health. */
    public List<BackendStatus> backends() {
        List<BackendStatus> out = new ArrayList<>();
        for (String name : backendOrder) {
            Backend b = backends.get(name);
            int admitted = maxInFlight - admissions.get(name).availablePermits();
            out.add(new BackendStatus(name, b.kind(), b.model(), b.isReady(), name.equals(defaultBackend),
                    Math.max(admitted, b.inFlight())));
        }
        return out;
    }

    /**
     * Waits until every backend can serve (WordNet and models load in the background).
     *
     * @return whether all were ready in time
     */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (!backends().stream().allMatch(BackendStatus::ready)) {
            if (System.nanoTime() - until >= 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** The name of the backend that requests naming none get. */
    public String defaultBackend() {
        return defaultBackend;
    }

    private Backend backend(String name) {
        if (name == null) {
            return backends.get(defaultBackend);
        }
        Backend b = backends.get(name);
        if (b == null) {
            throw new InvalidRequestException("backend", "unknown backend '" + name + "'; configured: "
                    + String.join(", ", backendOrder));
        }
        return b;
    }

    /** Describes the loaded components, e.g. for a start-up log line. */
    public String componentsSummary() {
        return clueParser.name() + " [" + clueParser.mode() + "], " + promptBuilder.name() + " [" + promptBuilder.mode() + "]";
    }

    @Override
    public void close() {
        clueParser.close();
        promptBuilder.close();
        for (Backend b : backends.values()) {
            try {
                b.close();
            } catch (RuntimeException e) {
                // closing the others matters more than reporting one failure
            }
        }
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }

    /** Feeds backend output through the filter and on to the caller's listener. */
    private static final class Collector implements BackendListener {
        private final AnswerFilter filter;
        private final int count;
        private final SuggestionListener listener;
        private final CandidateExtractor extractor;
        private int modelCandidates;
        private int streamed;
        private int tokens;

        Collector(AnswerFilter filter, int count, SuggestionListener listener) {
            this.filter = filter;
            this.count = count;
            this.listener = listener;
            // Models list the best first: rank model candidates by their position.
            this.extractor = new CandidateExtractor(c -> offer(c, Math.max(0.05, 1.0 - 0.05 * modelCandidates++), "model"));
        }

        @Override
        public void onText(String delta) {
            extractor.accept(delta);
        }

        @Override
        public void onCandidate(String answer, double score, String source) {
            offer(answer, score, source);
        }

        @Override
        public void onTokens(int generated) {
            tokens = Math.max(tokens, generated);
        }

        void finish() {
            extractor.finish();
        }

        boolean emitted() {
            return streamed > 0 || filter.acceptedCount() > 0 || !filter.rejected().isEmpty();
        }

        private void offer(String display, double score, String source) {
            AnswerFilter.Verdict verdict = filter.offer(display, score, source);
            if (verdict instanceof AnswerFilter.Accepted a) {
                if (streamed < count) {
                    streamed++;
                    listener.onSuggestion(a.suggestion());
                }
            } else if (verdict instanceof AnswerFilter.Rejected r) {
                listener.onRejected(r.rejection());
            }
        }
    }

    /** Configures a {@link CrosswordHelper}. Not thread-safe; {@link #build()} may be called more than once. */
    public static final class Builder {
        private Path clueParserWasm;
        private Path promptBuilderWasm;
        private WasmOptions wasmOptions = WasmOptions.DEFAULTS;
        private ExecutionMode builtInMode = ExecutionMode.BUILD_TIME_COMPILED;
        private ExecutionMode userComponentMode = ExecutionMode.RUNTIME_COMPILED;
        private final List<Backend> backends = new ArrayList<>();
        private String defaultBackend;
        private Duration requestTimeout = Duration.ofSeconds(60);
        private boolean allowVulgar;
        private final List<String> fallback = new ArrayList<>();
        private int cacheMaxEntries;
        private CrosswordMetrics metrics = CrosswordMetrics.NONE;
        private int maxInFlight = 256;
        private Duration cacheTtl = Duration.ofMinutes(10);

        private Builder() {}

        /**
         * Backends to try, in order, when the chosen one is loading, full or unreachable before it produced
         * anything. The response names the one that served.
         */
        public Builder fallback(List<String> names) {
            this.fallback.clear();
            this.fallback.addAll(names);
            return this;
        }

        /**
         * Answers identical requests (same normalised clue, pattern, count, backend, exclusions and seed) from
         * a bounded in-memory cache. Off by default in the library; {@code maxEntries = 0} turns it off.
         */
        public Builder cache(int maxEntries, Duration ttl) {
            if (maxEntries < 0) {
                throw new IllegalArgumentException("maxEntries must be >= 0, got " + maxEntries);
            }
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("ttl must be positive, got " + ttl);
            }
            this.cacheMaxEntries = maxEntries;
            this.cacheTtl = ttl;
            return this;
        }

        /** Replaces the built-in clue parser with a {@code .wasm} file that follows the guest interface. */
        public Builder clueParserWasm(Path wasm) {
            this.clueParserWasm = wasm;
            return this;
        }

        /** Replaces the built-in prompt builder, e.g. to customise prompts without recompiling the service. */
        public Builder promptBuilderWasm(Path wasm) {
            this.promptBuilderWasm = wasm;
            return this;
        }

        /** Pool size, memory cap, call deadline and output cap for both components. */
        public Builder wasmOptions(WasmOptions options) {
            this.wasmOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /** How built-in components run; {@link ExecutionMode#BUILD_TIME_COMPILED} unless benchmarking. */
        public Builder builtInMode(ExecutionMode mode) {
            this.builtInMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** How user-supplied components run: {@link ExecutionMode#RUNTIME_COMPILED} (default) or interpreted. */
        public Builder userComponentMode(ExecutionMode mode) {
            if (mode == ExecutionMode.BUILD_TIME_COMPILED) {
                throw new IllegalArgumentException("user components cannot be build-time compiled");
            }
            this.userComponentMode = mode;
            return this;
        }

        /**
         * Adds a backend; the helper takes ownership and closes it. The first one added is the default
         * unless {@link #defaultBackend(String)} says otherwise. Without a {@link ThesaurusBackend}, the
         * helper adds one named {@code thesaurus}: the word search needs WordNet.
         */
        public Builder backend(Backend backend) {
            this.backends.add(Objects.requireNonNull(backend, "backend"));
            return this;
        }

        /**
         * Admission control: the most requests one backend may have in flight (running or queued inside it);
         * one more is refused at once with a retriable {@link BackendUnavailableException} (503). 256 by default.
         */
        public Builder maxInFlight(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxInFlight must be >= 1, got " + max);
            }
            this.maxInFlight = max;
            return this;
        }

        /** Where to send measurements: Wasm call and backend latency, tokens, cache hits. */
        public Builder metrics(CrosswordMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** The backend requests get when they name none. */
        public Builder defaultBackend(String name) {
            this.defaultBackend = Objects.requireNonNull(name, "name");
            return this;
        }

        /** How long a backend may take for one request; 60 s by default. */
        public Builder requestTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("requestTimeout must be positive, got " + timeout);
            }
            this.requestTimeout = timeout;
            return this;
        }

        /** Lets vulgar and offensive words through; off by default (the breakfast test). */
        public Builder allowVulgar(boolean allow) {
            this.allowVulgar = allow;
            return this;
        }

        /**
         * Loads both components, warms their pools, and starts any backend that loads in the background.
         *
         * @throws ComponentException when a component cannot be loaded or fails its warm-up
         * @throws IllegalArgumentException when two backends share a name or the default is not configured
         */
        public CrosswordHelper build() {
            return new CrosswordHelper(this);
        }
    }
}
