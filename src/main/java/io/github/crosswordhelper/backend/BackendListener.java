package io.github.crosswordhelper.backend;

/**
 * Receives a backend's output as it is produced. Language-model backends send text; the thesaurus sends
 * structured candidates. Called on the thread that called {@link Backend#generate}, or on one thread the
 * backend owns, never on two at once.
 */
public interface BackendListener {

    /** A chunk of raw model text, of any size; candidates are extracted from whole lines. */
    void onText(String delta);

    /** One structured candidate, in the backend's order of preference. */
    void onCandidate(String answer, double score, String source);

    /** The number of tokens generated so far, for metrics. */
    default void onTokens(int generated) {}
}
