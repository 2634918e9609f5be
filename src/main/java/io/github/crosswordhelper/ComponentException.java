package io.github.crosswordhelper;

import java.util.Objects;

/**
 * A Wasm component misbehaved: it trapped, ran past its deadline, ran out of memory, or returned
 * something that breaks the guest interface (an out-of-bounds pointer, invalid UTF-8, invalid JSON). The
 * instance that failed is discarded; the service keeps serving. The HTTP layer answers 500.
 */
public class ComponentException extends CrosswordException {
    private static final long serialVersionUID = 1L;

    private final String component;

    public ComponentException(String component, String detail) {
        this(component, detail, null);
    }

    public ComponentException(String component, String detail, Throwable cause) {
        super(component + ": " + detail, cause);
        this.component = Objects.requireNonNull(component, "component");
    }

    /** The component's name, e.g. {@code clue-parser}. */
    public String component() {
        return component;
    }
}
