package io.github.crosswordhelper.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Set;

/**
 * Who may call what: the API key on {@code /api/*} (and, when asked, on health, metrics and the page),
 * a CORS allow-list, a per-client token bucket, and the security headers every response carries. Runs as
 * a before-handler, so a refused request never reaches an endpoint. {@code POST /infer} checks its own key
 * with Spin's plain-text errors. Thread-safe.
 */
final class Security {

    /** Strict enough for the page: it has no inline script or style and loads nothing from elsewhere. */
    static final String CSP = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final ApiKey apiKey;
    private final HttpOptions options;
    private final Set<String> origins;
    private final Cache<String, TokenBucket> buckets;

    Security(HttpOptions options) {
        this.options = options;
        this.apiKey = options.apiKey().map(ApiKey::new).orElse(null);
        this.origins = Set.copyOf(options.corsOrigins());
        this.buckets = options.rateLimitPerMinute() > 0
                ? Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(10)).build()
                : null;
    }

    ApiKey apiKey() {
        return apiKey;
    }

    void before(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Content-Security-Policy", CSP);
        String path = ctx.path();
        boolean api = path.startsWith("/api/");
        String origin = ctx.header("Origin");
        if (origin != null && origins.contains(origin)) {
            ctx.header("Access-Control-Allow-Origin", origin);
            ctx.header("Vary", "Origin");
            ctx.header("Access-Control-Expose-Headers", "X-Request-Id, X-Cache, Retry-After");
        }
        if (ctx.method().name().equals("OPTIONS")) {
            return; // preflights carry no credentials; the options route answers them
        }
        if ((api || path.equals("/infer")) && buckets != null) {
            TokenBucket bucket = buckets.get(ctx.ip(), ip -> new TokenBucket(options.rateLimitPerMinute()));
            long waitMillis = bucket.tryTake();
            if (waitMillis > 0) {
                ctx.header("Retry-After", Long.toString(Math.max(1, (waitMillis + 999) / 1000)));
                throw new HttpProblem(429, "Too many requests", "more than " + options.rateLimitPerMinute()
                        + " requests per minute from this client; retry after the Retry-After delay");
            }
        }
        if (apiKey == null || path.equals("/infer")) {
            return;
        }
        boolean operations = path.startsWith("/health") || path.equals("/metrics") || path.equals("/openapi.json");
        boolean needsKey = api || (operations && options.protectOperations()) || (!api && !operations && options.protectPage());
        if (needsKey && !apiKey.matches(ctx.header("Authorization"))) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"crossword-helper\"");
            throw new HttpProblem(401, "Unauthorized",
                    "this server requires an API key: send Authorization: Bearer <key>");
        }
    }

    /** Answers a CORS preflight from an allowed origin; others get 403. */
    void preflight(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null || !origins.contains(origin)) {
            throw new HttpProblem(403, "Forbidden", "origin " + origin + " is not allowed to call this API");
        }
        ctx.header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        ctx.header("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-Id");
        ctx.header("Access-Control-Max-Age", "600");
        ctx.status(204);
    }

    boolean corsEnabled() {
        return !origins.isEmpty();
    }

    /** {@code capacity} tokens, refilled continuously at {@code capacity} per minute. */
    static final class TokenBucket {
        private final double capacity;
        private final double perNano;
        private double tokens;
        private long last = System.nanoTime();

        TokenBucket(int perMinute) {
            this.capacity = perMinute;
            this.perNano = perMinute / 60e9;
            this.tokens = perMinute;
        }

        /** Takes a token; returns 0 on success, else the milliseconds until one is available. */
        synchronized long tryTake() {
            long now = System.nanoTime();
            tokens = Math.min(capacity, tokens + (now - last) * perNano);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / perNano / 1_000_000);
        }
    }
}
