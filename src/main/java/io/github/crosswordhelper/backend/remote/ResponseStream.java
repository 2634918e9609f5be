package io.github.crosswordhelper.backend.remote;

import io.github.crosswordhelper.BackendException;
import io.github.crosswordhelper.BackendTimeoutException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body the HttpClient pushes chunk by chunk into a queue, and the calling thread pulls from with
 * the request's deadline: a stalled upstream cannot block the caller past the deadline, an interrupt stops
 * the read at once, and {@link #cancel()} cancels the subscription, which drops the connection.
 *
 * <p>One chunk is requested at a time, so an unread body does not pile up in memory.
 */
final class ResponseStream implements HttpResponse.BodySubscriber<ResponseStream> {

    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Object lock = new Object();
    private Flow.Subscription subscription;
    private boolean cancelled;

    // Consumer side: only the calling thread touches these.
    private String name = "remote";
    private Instant deadline = Instant.MAX;
    private Duration budget = Duration.ZERO;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean ended;

    /** Sets what the reads are held to: the backend's name for messages, and the attempt's deadline. */
    void arm(String name, Instant deadline, Duration budget) {
        this.name = name;
        this.deadline = deadline;
        this.budget = budget;
    }

    // ---- BodySubscriber (HttpClient threads) ----

    @Override
    public void onSubscribe(Flow.Subscription s) {
        boolean cancelNow;
        synchronized (lock) {
            subscription = s;
            cancelNow = cancelled;
        }
        if (cancelNow) {
            s.cancel();
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        int size = 0;
        for (ByteBuffer b : items) {
            size += b.remaining();
        }
        byte[] bytes = new byte[size];
        int at = 0;
        for (ByteBuffer b : items) {
            int n = b.remaining();
            b.get(bytes, at, n);
            at += n;
        }
        queue.add(bytes);
    }

    @Override
    public void onError(Throwable throwable) {
        queue.add(throwable);
    }

    @Override
    public void onComplete() {
        queue.add(END);
    }

    @Override
    public CompletionStage<ResponseStream> getBody() {
        // Completes at once: the response is handed over when the headers arrive, and the body is read here.
        return CompletableFuture.completedStage(this);
    }

    // ---- consumer side (calling thread) ----

    /** Stops the body: cancels the subscription (which closes the connection) and ignores the rest. */
    void cancel() {
        Flow.Subscription s;
        synchronized (lock) {
            cancelled = true;
            s = subscription;
        }
        if (s != null) {
            s.cancel();
        }
    }

    /**
     * The next chunk of bytes, or {@code null} at the end of the body.
     *
     * @throws BackendTimeoutException when the deadline passes first
     * @throws BackendException when the thread is interrupted ("remote request cancelled", interrupt flag
     *     restored) or the connection fails
     */
    byte[] nextChunk() {
        if (ended) {
            return null;
        }
        Object item;
        try {
            long nanos = Duration.between(Instant.now(), deadline).toNanos();
            item = nanos <= 0 ? queue.poll() : queue.poll(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            cancel();
            Thread.currentThread().interrupt();
            throw new BackendException("remote request cancelled");
        }
        if (item == null) {
            cancel();
            throw new BackendTimeoutException(
                    "remote " + name + " did not finish its answer within " + budget.toMillis() + " ms");
        }
        if (item == END) {
            ended = true;
            return null;
        }
        if (item instanceof Throwable t) {
            ended = true;
            cancel();
            throw new BackendException("remote " + name + " connection failed while reading the response: "
                    + describe(t), t);
        }
        byte[] bytes = (byte[]) item;
        Flow.Subscription s;
        synchronized (lock) {
            s = cancelled ? null : subscription;
        }
        if (s != null) {
            s.request(1);
        }
        return bytes;
    }

    /**
     * The next line without its terminator ({@code \n} or {@code \r\n}), or {@code null} at the end. A last
     * line without a terminator is returned as it is.
     */
    String nextLine() {
        while (true) {
            byte[] buffered = pending.toByteArray();
            for (int i = 0; i < buffered.length; i++) {
                if (buffered[i] == '\n') {
                    int end = i > 0 && buffered[i - 1] == '\r' ? i - 1 : i;
                    String line = new String(buffered, 0, end, StandardCharsets.UTF_8);
                    pending.reset();
                    pending.write(buffered, i + 1, buffered.length - i - 1);
                    return line;
                }
            }
            byte[] chunk = nextChunk();
            if (chunk == null) {
                if (pending.size() == 0) {
                    return null;
                }
                String rest = pending.toString(StandardCharsets.UTF_8);
                pending.reset();
                return rest;
            }
            pending.write(chunk, 0, chunk.length);
        }
    }

    /**
     * The whole rest of the body as UTF-8 text.
     *
     * @param limit the most bytes to read
     * @param failIfLonger whether a longer body is an error; otherwise it is cut at the limit
     */
    String readAll(int limit, boolean failIfLonger) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(pending.toByteArray(), 0, pending.size());
        pending.reset();
        while (out.size() <= limit) {
            byte[] chunk = nextChunk();
            if (chunk == null) {
                return out.toString(StandardCharsets.UTF_8);
            }
            out.write(chunk, 0, chunk.length);
        }
        cancel();
        if (failIfLonger) {
            throw new BackendException("remote " + name + " answered with more than " + limit + " bytes");
        }
        byte[] all = out.toByteArray();
        return new String(all, 0, limit, StandardCharsets.UTF_8);
    }

    static String describe(Throwable t) {
        String message = t.getMessage();
        if (t instanceof IOException && message == null) {
            return t.getClass().getSimpleName();
        }
        return message == null ? t.getClass().getSimpleName() : message;
    }
}
