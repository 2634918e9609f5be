package io.github.crosswordhelper;

/**
 * One configured backend and its health.
 *
 * @param name what requests pick it by
 * @param kind {@code thesaurus}, {@code local} or {@code remote}
 * @param model what it runs
 * @param ready whether it can serve now
 * @param isDefault whether requests that name no backend get this one
 * @param inFlight requests admitted and not yet finished (running or queued)
 */
public record BackendStatus(String name, String kind, String model, boolean ready, boolean isDefault, int inFlight) {}
