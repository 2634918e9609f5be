package io.github.crosswordhelper.backend.remote;

/** Keeps upstream text short and free of the credential before it goes into a message or a log line. */
final class Redaction {

    static final int MAX_DETAIL = 300;

    private Redaction() {}

    /** Collapses whitespace and cuts to {@value #MAX_DETAIL} characters. */
    static String truncate(String text) {
        if (text == null) {
            return "";
        }
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= MAX_DETAIL ? flat : flat.substring(0, MAX_DETAIL) + "...";
    }

    /** {@link #truncate} after replacing every occurrence of the key with {@code ****}. */
    static String clean(String text, String apiKey) {
        if (text == null) {
            return "";
        }
        String out = text;
        if (apiKey != null && !apiKey.isEmpty()) {
            out = out.replace(apiKey, "****");
        }
        out = truncate(out);
        if (apiKey != null && !apiKey.isEmpty() && out.contains(apiKey)) {
            return "(withheld)";
        }
        return out;
    }
}
