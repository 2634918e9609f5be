package io.github.crosswordhelper;

/** The backend did not finish before the request's deadline. The HTTP layer answers 504. */
public class BackendTimeoutException extends CrosswordException {
    private static final long serialVersionUID = 1L;

    public BackendTimeoutException(String detail) {
        super(detail);
    }

    @Override
    public boolean isRetriable() {
        return true;
    }
}
