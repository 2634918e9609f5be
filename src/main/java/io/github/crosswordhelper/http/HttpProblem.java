package io.github.crosswordhelper.http;

/**
 * An HTTP-level refusal that has no meaning outside HTTP: a body too large, a wrong content type, broken
 * UTF-8 or JSON. Domain errors use the core exceptions instead; {@link ProblemMapper} maps both.
 */
final class HttpProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String title;

    HttpProblem(int status, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
    }

    int status() {
        return status;
    }

    String title() {
        return title;
    }
}
