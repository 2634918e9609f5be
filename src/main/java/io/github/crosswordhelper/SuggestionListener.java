package io.github.crosswordhelper;

/**
 * Receives a streaming response as it forms. Called on the thread that called {@link
 * CrosswordHelper#suggest(ClueRequest, SuggestionListener)}. An exception thrown here (say, the HTTP client
 * went away) stops the backend and propagates to the caller.
 */
public interface SuggestionListener {

    /** Does nothing: for the non-streaming call. */
    SuggestionListener NONE = new SuggestionListener() {};

    /** An answer that fits, sent as soon as the filter accepts it; at most {@code count} of them. */
    default void onSuggestion(Suggestion suggestion) {}

    /** A candidate the filter refused, with the reason. */
    default void onRejected(Rejection rejection) {}
}
