package io.github.crosswordhelper;

import java.util.Objects;

/** One chat message, as OpenAI-style APIs take it. {@code role} is {@code system}, {@code user} or {@code assistant}. */
public record ChatMessage(String role, String content) {
    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }
}
