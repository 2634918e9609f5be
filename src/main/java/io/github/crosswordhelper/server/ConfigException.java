package io.github.crosswordhelper.server;

/** A setting is unknown, malformed or impossible; the message names the key and where it came from. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
