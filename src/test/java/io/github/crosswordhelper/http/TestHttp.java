package io.github.crosswordhelper.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.crosswordhelper.http.openapi.OpenApiContract;
import io.github.crosswordhelper.internal.ComponentCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * A real HTTP client against a real server on a loopback port. Every reply it receives is checked against
 * {@code openapi.json} ({@link OpenApiContract}) before the test sees it, so the document cannot drift.
 */
final class TestHttp {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;

    TestHttp(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    record Reply(int status, String contentType, String body, java.net.http.HttpHeaders headers) {
        JsonNode json() {
            try {
                return ComponentCodec.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }

    Reply postJson(String path, String json) {
        return post(path, "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    Reply post(String path, String contentType, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b.build());
    }

    Reply get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    Reply method(String method, String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build());
    }

    /** One server-sent event. */
    record Event(String name, String data) {}

    /** Reads a whole event stream (until the server closes it). */
    List<Event> events(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60)).GET().build();
        try {
            HttpResponse<java.util.stream.Stream<String>> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofLines());
            if (r.statusCode() != 200) {
                String body = String.join("\n", r.body().toList());
                OpenApiContract.check(request.method(), target(request), r.statusCode(), r.headers(), body);
                throw new AssertionError("status " + r.statusCode() + ": " + body);
            }
            List<Event> events = new java.util.ArrayList<>();
            String[] name = {null};
            r.body().forEach(line -> {
                if (line.startsWith("event: ")) {
                    name[0] = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    events.add(new Event(name[0], line.substring(6)));
                }
            });
            OpenApiContract.checkEvents(request.method(), target(request), r.statusCode(), r.headers(),
                    events.stream().map(e -> java.util.Map.entry(String.valueOf(e.name()), e.data())).toList());
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String query(String... pairs) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            sb.append(i == 0 ? "?" : "&").append(pairs[i]).append('=')
                    .append(java.net.URLEncoder.encode(pairs[i + 1], java.nio.charset.StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    private static Reply send(HttpRequest request) {
        try {
            HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            OpenApiContract.check(request.method(), target(request), r.statusCode(), r.headers(), r.body());
            return new Reply(r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The request target as sent: raw path and query. */
    private static String target(HttpRequest request) {
        URI uri = request.uri();
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }
}
