package io.github.crosswordhelper;

/**
 * Raw model text for a raw prompt, as the Spin {@code /infer} protocol returns it.
 *
 * @param text everything the model generated
 * @param promptTokens an estimate (one token per four characters): backends do not report the true count
 * @param generatedTokens tokens generated, as the backend reported them
 * @param backend the backend that generated it
 */
public record InferResult(String text, int promptTokens, int generatedTokens, BackendInfo backend) {}
