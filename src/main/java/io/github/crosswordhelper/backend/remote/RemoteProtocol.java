package io.github.crosswordhelper.backend.remote;

import java.util.Locale;

/** The wire protocol a remote model server speaks. */
public enum RemoteProtocol {
    /** OpenAI-style {@code POST /v1/chat/completions} (OpenAI, llama.cpp's llama-server, vLLM, ...). */
    OPENAI("openai"),
    /** Ollama's {@code POST /api/chat}. */
    OLLAMA("ollama"),
    /** Spin's remote_http LLM protocol ({@code POST /infer}), as served by the Fermyon Cloud GPU proxy. */
    SPIN("spin");

    private final String wireName;

    RemoteProtocol(String wireName) {
        this.wireName = wireName;
    }

    /** The name in configuration, e.g. {@code openai}. */
    public String wireName() {
        return wireName;
    }

    /** The constant for a wire name, case-insensitively. */
    public static RemoteProtocol fromWireName(String name) {
        if (name != null) {
            String wanted = name.trim().toLowerCase(Locale.ROOT);
            for (RemoteProtocol protocol : values()) {
                if (protocol.wireName.equals(wanted)) {
                    return protocol;
                }
            }
        }
        throw new IllegalArgumentException("protocol must be one of openai, ollama, spin, not: " + name);
    }

    @Override
    public String toString() {
        return wireName;
    }
}
