package io.github.crosswordhelper.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/** Checks {@code Authorization: Bearer <key>}: the scheme in any case, the key in constant time. */
final class ApiKey {
    private final byte[] expectedDigest;

    ApiKey(String key) {
        this.expectedDigest = sha256(key);
    }

    /** Whether an Authorization header carries the key. */
    boolean matches(String authorization) {
        if (authorization == null) {
            return false;
        }
        String header = authorization.strip();
        int space = header.indexOf(' ');
        if (space < 0 || !header.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
            return false;
        }
        // Comparing digests keeps the time independent of where the keys differ, and of their lengths.
        return MessageDigest.isEqual(expectedDigest, sha256(header.substring(space + 1).strip()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
