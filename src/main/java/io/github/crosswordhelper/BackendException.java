package io.github.crosswordhelper;

/**
 * The backend answered, but wrongly: a broken envelope, a cut-off stream, a refused credential, a native
 * failure. The HTTP layer answers 502. Not retriable as such; the detail says what was wrong.
 */
public class BackendException extends CrosswordException {
    private static final long serialVersionUID = 1L;

    public BackendException(String detail) {
        super(detail);
    }

    public BackendException(String detail, Throwable cause) {
        super(detail, cause);
    }
}
