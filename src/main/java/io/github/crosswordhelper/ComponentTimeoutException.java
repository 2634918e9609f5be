package io.github.crosswordhelper;

/** A Wasm component call ran past its deadline and was interrupted; its instance was discarded. */
public class ComponentTimeoutException extends ComponentException {
    private static final long serialVersionUID = 1L;

    public ComponentTimeoutException(String component, String detail) {
        super(component, detail);
    }
}
