package io.github.crosswordhelper;

/** Which backend served a response: its name (e.g. {@code thesaurus}) and what it runs. */
public record BackendInfo(String name, String model) {}
