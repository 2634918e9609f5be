package io.github.crosswordhelper.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes {@code text/event-stream} events straight to the response, flushing each one. A write to a client
 * that went away throws {@link ClientGoneException}, which unwinds the backend call and cancels it.
 */
final class SseWriter {

    /** The client closed the connection; nothing more can be sent. */
    static final class ClientGoneException extends UncheckedIOException {
        private static final long serialVersionUID = 1L;

        ClientGoneException(IOException cause) {
            super("client closed the event stream", cause);
        }
    }

    private final OutputStream out;

    SseWriter(Context ctx) {
        ctx.status(200);
        ctx.res().setContentType("text/event-stream;charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        try {
            this.out = ctx.res().getOutputStream();
            out.write(": stream open\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new ClientGoneException(e);
        }
    }

    /** Sends one event; {@code data} must be a single line (JSON is). */
    void event(String name, String data) {
        try {
            out.write(("event: " + name + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new ClientGoneException(e);
        }
    }
}
