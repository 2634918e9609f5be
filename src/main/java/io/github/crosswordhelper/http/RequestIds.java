package io.github.crosswordhelper.http;

import io.javalin.http.Context;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * A request id on every response ({@code X-Request-Id}) and every log line written while the request is
 * handled (MDC key {@code requestId}). A caller's own id is kept when it is short and plain, so ids can
 * follow a request across services.
 */
final class RequestIds {
    static final String HEADER = "X-Request-Id";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private RequestIds() {}

    static void assign(Context ctx) {
        String given = ctx.header(HEADER);
        String id = given != null && SAFE.matcher(given).matches() ? given : UUID.randomUUID().toString();
        ctx.header(HEADER, id);
        MDC.put("requestId", id);
    }

    static void clear() {
        MDC.remove("requestId");
    }
}
