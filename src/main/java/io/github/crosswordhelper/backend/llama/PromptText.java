package io.github.crosswordhelper.backend.llama;

/**
 * Makes text safe to hand to java-llama.cpp's native code.
 *
 * <ul>
 *   <li>NUL and the other C0 controls except tab and newline, DEL and the C1 controls are removed ({@code \r\n}
 *       becomes {@code \n}): a NUL cuts the C string short, the rest is noise to a model.</li>
 *   <li>Characters outside the Basic Multilingual Plane (emoji) and lone surrogates become U+FFFD:
 *       {@code LlamaModel.applyTemplate} returns its result through JNI {@code NewStringUTF}, which does not
 *       understand 4-byte UTF-8. An emoji in a message came back as mojibake <em>and cut the end off the rendered
 *       prompt</em>.</li>
 *   <li>In message contents, special-token markup ({@code <|...|>}, {@code <s>}, {@code </s>}) is broken up with a
 *       space: the prompt is tokenized with special tokens parsed, so user text such as {@code </s>} or
 *       {@code <|im_end|>} would otherwise become the real control token.</li>
 * </ul>
 */
final class PromptText {

    private PromptText() {
    }

    /** Removes control characters and non-BMP characters; see the class comment. */
    static String clean(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\t') {
                b.append(c);
            } else if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
                // dropped
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append('\uFFFD');
                i++;
            } else if (Character.isSurrogate(c)) {
                b.append('\uFFFD');
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** {@link #clean} plus breaking up special-token markup, for text that came from outside (message contents). */
    static String cleanContent(String s) {
        String t = clean(s);
        if (t.indexOf('<') < 0 && t.indexOf('|') < 0) {
            return t;
        }
        return t.replace("<|", "< |").replace("|>", "| >").replace("</s>", "< /s>").replace("<s>", "< s>");
    }
}
