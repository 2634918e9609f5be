package io.github.crosswordhelper;

/** Where a response's time went, in milliseconds. {@code backendMs} includes filtering, which runs as candidates arrive. */
public record Timings(double parseMs, double promptMs, double backendMs, double totalMs) {}
