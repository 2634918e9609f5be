package io.github.crosswordhelper.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.crosswordhelper.ClueRequest;
import io.github.crosswordhelper.InvalidRequestException;
import io.github.crosswordhelper.internal.ComponentCodec;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a request body into a {@link ClueRequest}, strictly: JSON only, bounded size, valid UTF-8, and no
 * type coercion ({@code "clue": 42} is an error, not the string "42").
 */
final class RequestReader {

    private static final Set<String> FIELDS = Set.of("clue", "pattern", "count", "exclude", "backend", "seed");

    private final int maxBodyBytes;

    RequestReader(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    ClueRequest read(Context ctx) {
        JsonNode root = readJson(ctx);
        if (!root.isObject()) {
            throw new InvalidRequestException("request", "request body must be a JSON object");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!FIELDS.contains(name)) {
                throw new InvalidRequestException(name, "unknown field '" + name + "'; known fields are "
                        + String.join(", ", FIELDS.stream().sorted().toList()));
            }
        }
        JsonNode clue = root.get("clue");
        if (clue == null || clue.isNull()) {
            throw new InvalidRequestException("clue", "clue is required");
        }
        if (!clue.isTextual()) {
            throw new InvalidRequestException("clue", "clue must be a string");
        }
        ClueRequest.Builder builder = ClueRequest.builder(clue.asText());
        JsonNode pattern = root.get("pattern");
        if (pattern != null && !pattern.isNull()) {
            if (!pattern.isTextual()) {
                throw new InvalidRequestException("pattern", "pattern must be a string");
            }
            builder.pattern(pattern.asText());
        }
        JsonNode count = root.get("count");
        if (count != null && !count.isNull()) {
            if (!count.isIntegralNumber()) {
                throw new InvalidRequestException("count", "count must be an integer");
            }
            if (!count.canConvertToInt() || count.intValue() < 1 || count.intValue() > 20) {
                throw new InvalidRequestException("count", "count must be between 1 and 20, got " + count.asText());
            }
            builder.count(count.intValue());
        }
        JsonNode exclude = root.get("exclude");
        if (exclude != null && !exclude.isNull()) {
            if (!exclude.isArray()) {
                throw new InvalidRequestException("exclude", "exclude must be an array of strings");
            }
            List<String> words = new ArrayList<>();
            for (JsonNode w : exclude) {
                if (!w.isTextual()) {
                    throw new InvalidRequestException("exclude", "exclude must be an array of strings");
                }
                words.add(w.asText());
            }
            builder.exclude(words);
        }
        JsonNode backend = root.get("backend");
        if (backend != null && !backend.isNull()) {
            if (!backend.isTextual()) {
                throw new InvalidRequestException("backend", "backend must be a string");
            }
            builder.backend(backend.asText());
        }
        JsonNode seed = root.get("seed");
        if (seed != null && !seed.isNull()) {
            if (!seed.isIntegralNumber() || !seed.canConvertToLong()) {
                throw new InvalidRequestException("seed", "seed must be an integer");
            }
            builder.seed(seed.longValue());
        }
        return builder.build();
    }

    /** Reads the same fields from a query string: {@code ?clue=...&pattern=...&count=5&exclude=a,b}. */
    ClueRequest readQuery(Context ctx) {
        for (String name : ctx.queryParamMap().keySet()) {
            if (!FIELDS.contains(name)) {
                throw new InvalidRequestException(name, "unknown query parameter '" + name + "'; known are "
                        + String.join(", ", FIELDS.stream().sorted().toList()));
            }
        }
        String clue = ctx.queryParam("clue");
        if (clue == null) {
            throw new InvalidRequestException("clue", "clue is required");
        }
        ClueRequest.Builder builder = ClueRequest.builder(clue);
        String pattern = ctx.queryParam("pattern");
        if (pattern != null) {
            builder.pattern(pattern);
        }
        String count = ctx.queryParam("count");
        if (count != null && !count.isEmpty()) {
            int n;
            try {
                n = Integer.parseInt(count.strip());
            } catch (NumberFormatException e) {
                throw new InvalidRequestException("count", "count must be an integer");
            }
            if (n < 1 || n > 20) {
                throw new InvalidRequestException("count", "count must be between 1 and 20, got " + n);
            }
            builder.count(n);
        }
        List<String> exclude = new ArrayList<>();
        for (String value : ctx.queryParams("exclude")) {
            for (String word : value.split(",")) {
                if (!word.isBlank()) {
                    exclude.add(word.strip());
                }
            }
        }
        builder.exclude(exclude);
        String backend = ctx.queryParam("backend");
        if (backend != null && !backend.isEmpty()) {
            builder.backend(backend);
        }
        String seed = ctx.queryParam("seed");
        if (seed != null && !seed.isEmpty()) {
            try {
                builder.seed(Long.parseLong(seed.strip()));
            } catch (NumberFormatException e) {
                throw new InvalidRequestException("seed", "seed must be an integer");
            }
        }
        return builder.build();
    }

    private JsonNode readJson(Context ctx) {
        requireJsonContentType(ctx);
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBodyBytes) {
            throw tooLarge(declared);
        }
        byte[] body = readBounded(ctx);
        String text = decodeUtf8(body);
        if (text.isBlank()) {
            throw new HttpProblem(400, "Invalid JSON", "request body is empty; send a JSON object such as {\"clue\": \"...\"}");
        }
        try {
            return ComponentCodec.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new HttpProblem(400, "Invalid JSON", "request body is not valid JSON" + where + ": " + e.getOriginalMessage());
        }
    }

    private static void requireJsonContentType(Context ctx) {
        String type = ctx.contentType();
        String mediaType = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")) {
            throw new HttpProblem(415, "Unsupported media type", "expected content type application/json, got "
                    + (type == null || type.isBlank() ? "none" : type));
        }
    }

    private byte[] readBounded(Context ctx) {
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes(maxBodyBytes + 1);
            if (bytes.length > maxBodyBytes) {
                throw tooLarge(-1);
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpProblem tooLarge(long declared) {
        return new HttpProblem(413, "Content too large", "request body is "
                + (declared >= 0 ? declared + " bytes" : "larger than that") + "; the limit is " + maxBodyBytes + " bytes");
    }

    /** Decodes strictly and names the offset of the first bad byte. */
    static String decodeUtf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw new HttpProblem(400, "Invalid UTF-8", "request body is not valid UTF-8: malformed byte at offset "
                    + in.position());
        }
        decoder.flush(out);
        return out.flip().toString();
    }
}
