package io.github.crosswordhelper.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.crosswordhelper.BackendException;
import io.github.crosswordhelper.BackendTimeoutException;
import io.github.crosswordhelper.ComponentException;
import io.github.crosswordhelper.ComponentTimeoutException;
import io.github.crosswordhelper.CrosswordException;
import io.github.crosswordhelper.InvalidRequestException;
import io.github.crosswordhelper.ServiceUnavailableException;
import io.github.crosswordhelper.internal.ComponentCodec;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns exceptions into HTTP statuses. Every error leaves as {@code
 * application/problem+json} (RFC 9457) with {@code type}, {@code title}, {@code status} and {@code detail};
 * no stack trace ever reaches a client.
 */
public final class ProblemMapper {
    public static final String PROBLEM_JSON = "application/problem+json";

    /** A request attribute: the handler wrote a body in another protocol's format (Spin's plain text). */
    static final String KEEP_BODY = "crossword.keepBody";

    private static final Logger LOG = LoggerFactory.getLogger(ProblemMapper.class);

    private ProblemMapper() {}

    /** Writes the problem for any exception a handler threw. */
    static void handle(Exception e, Context ctx) {
        if (e instanceof ServiceUnavailableException sue) {
            long seconds = Math.max(1, (sue.retryAfter().toMillis() + 999) / 1000);
            ctx.header("Retry-After", Long.toString(seconds));
        }
        if (!(e instanceof CrosswordException || e instanceof HttpProblem || e instanceof HttpResponseException)) {
            LOG.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
        }
        ObjectNode body = problemFor(e);
        write(ctx, body.get("status").asInt(), body);
    }

    /** The problem document for an exception; also used for the SSE {@code error} event. */
    static ObjectNode problemFor(Exception e) {
        if (e instanceof InvalidRequestException ire) {
            ObjectNode body = problem(400, "Invalid request", ire.getMessage());
            body.put("field", ire.field());
            return body;
        } else if (e instanceof HttpProblem hp) {
            return problem(hp.status(), hp.title(), hp.getMessage());
        } else if (e instanceof ServiceUnavailableException) {
            return problem(503, "Service unavailable", e.getMessage());
        } else if (e instanceof BackendTimeoutException) {
            return problem(504, "Backend timed out", e.getMessage());
        } else if (e instanceof BackendException) {
            LOG.warn("backend failed: {}", e.getMessage());
            return problem(502, "Backend failed", e.getMessage());
        } else if (e instanceof ComponentTimeoutException) {
            LOG.warn("component timed out: {}", e.getMessage());
            return problem(500, "Component timed out", e.getMessage());
        } else if (e instanceof ComponentException) {
            LOG.warn("component failed: {}", e.getMessage(), e);
            return problem(500, "Component failed", e.getMessage());
        } else if (e instanceof HttpResponseException hre) {
            return problem(hre.getStatus(), titleFor(hre.getStatus()), hre.getMessage());
        }
        return problem(500, "Internal error", "the server failed to handle the request; see its log");
    }

    /** Rewrites Javalin's own plain error bodies (404, 405, ...) as problems. */
    static void handleStatus(Context ctx) {
        String type = ctx.res().getContentType();
        if ((type != null && type.startsWith(PROBLEM_JSON)) || ctx.attribute(KEEP_BODY) != null) {
            return;
        }
        int status = ctx.statusCode();
        String detail = switch (status) {
            case 404 -> "no resource at " + ctx.method() + " " + ctx.path();
            case 405 -> "method " + ctx.method() + " is not allowed on " + ctx.path();
            default -> titleFor(status);
        };
        write(ctx, status, problem(status, titleFor(status), detail));
    }

    static ObjectNode problem(int status, String title, String detail) {
        ObjectNode node = ComponentCodec.MAPPER.createObjectNode();
        node.put("type", "about:blank");
        node.put("title", title);
        node.put("status", status);
        node.put("detail", detail);
        return node;
    }

    private static void write(Context ctx, int status, ObjectNode body) {
        ctx.status(status).contentType(PROBLEM_JSON).result(body.toString());
    }

    static String titleFor(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 406 -> "Not acceptable";
            case 408 -> "Request timeout";
            case 413 -> "Content too large";
            case 415 -> "Unsupported media type";
            case 429 -> "Too many requests";
            case 500 -> "Internal error";
            case 502 -> "Bad gateway";
            case 503 -> "Service unavailable";
            case 504 -> "Gateway timeout";
            default -> "HTTP " + status;
        };
    }
}
