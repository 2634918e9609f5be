package io.github.crosswordhelper;

import java.util.List;
import java.util.Objects;

/**
 * What the prompt-builder component made of a parsed clue.
 *
 * @param messages chat messages (system, then user)
 * @param flatPrompt the same conversation as one Llama-2-chat string, for backends that take raw text
 * @param grammar a GBNF grammar that only admits answers of the right shape, one per line
 * @param parameters max tokens, stop strings and temperature
 * @param schemaJson a JSON Schema for {@code {"answers":[...]}}, for servers that take one
 */
public record Prompt(
        List<ChatMessage> messages,
        String flatPrompt,
        String grammar,
        GenerationParameters parameters,
        String schemaJson) {

    /**
     * A prompt passed through as it is, with no grammar and no schema: what {@code POST /infer} (the Spin
     * protocol) sends to a backend. Backends send the text without a chat template.
     */
    public static Prompt raw(String text, int maxTokens, double temperature) {
        return new Prompt(List.of(), text, "", new GenerationParameters(maxTokens, List.of(), temperature), "{}");
    }

    /** Whether this is a {@link #raw} prompt: no messages, no grammar. */
    public boolean isRaw() {
        return messages.isEmpty() && grammar.isEmpty();
    }

    public Prompt {
        messages = List.copyOf(messages);
        Objects.requireNonNull(flatPrompt, "flatPrompt");
        Objects.requireNonNull(grammar, "grammar");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(schemaJson, "schemaJson");
    }
}
