package io.github.crosswordhelper;

import java.util.List;

/** Generation settings the prompt builder chose for a clue. */
public record GenerationParameters(int maxTokens, List<String> stop, double temperature) {
    public GenerationParameters {
        stop = List.copyOf(stop);
    }
}
