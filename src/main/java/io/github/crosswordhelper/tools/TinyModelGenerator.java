package io.github.crosswordhelper.tools;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Writes a tiny, random-weight, llama-architecture GGUF (v3) model of about 0.5 MB, for tests and local development
 * of the llama.cpp backend. The output is byte-for-byte deterministic for a given seed.
 *
 * <p>Self-contained on purpose (JDK only, one top-level class) so that it also runs as a single-file source program:
 * {@code java TinyModelGenerator.java OUT.gguf [SEED]}.
 *
 * <p>What the llama.cpp loader (b4916, as bundled by de.kherud:llama 4.2.0) needs, and why some keys are here:
 * <ul>
 *   <li>the llama hyper-parameters ({@code llama.*}) and {@code tokenizer.ggml.model}/{@code tokens};</li>
 *   <li>{@code tokenizer.ggml.token_type}: without it the EOS token is printed as text;</li>
 *   <li>the 256 byte tokens {@code <0x00>..<0xFF>}: without them any prompt character outside the vocabulary makes
 *       the SPM tokenizer throw inside native code, which kills the JVM;</li>
 *   <li>{@code output.weight}: without it the output degenerates into one repeated token.</li>
 * </ul>
 * Tensor dimensions are written innermost (ne0) first, as ggml expects. No chat template is written; llama.cpp then
 * falls back to ChatML when rendering messages.
 */
public final class TinyModelGenerator {

    // hyper-parameters
    static final int N_EMBD = 64;
    static final int N_LAYER = 2;
    static final int N_FF = 128;
    static final int N_HEAD = 4;
    static final int N_HEAD_KV = 4;
    static final int N_CTX = 2048;
    static final float RMS_EPS = 1e-5f;
    static final int ALIGNMENT = 32;

    // token ids of the special tokens
    static final int UNK_ID = 0;
    static final int BOS_ID = 1;
    static final int EOS_ID = 2;

    // llama.cpp token types
    private static final int TYPE_NORMAL = 1;
    private static final int TYPE_UNKNOWN = 2;
    private static final int TYPE_CONTROL = 3;
    private static final int TYPE_BYTE = 6;

    // GGUF metadata value types
    private static final int GGUF_UINT32 = 4;
    private static final int GGUF_INT32 = 5;
    private static final int GGUF_FLOAT32 = 6;
    private static final int GGUF_BOOL = 7;
    private static final int GGUF_STRING = 8;
    private static final int GGUF_ARRAY = 9;

    // ggml tensor type
    private static final int GGML_TYPE_F32 = 0;

    private TinyModelGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: TinyModelGenerator OUT.gguf [SEED]");
            System.exit(2);
        }
        long seed = args.length == 2 ? Long.parseLong(args[1]) : 42L;
        Path out = Paths.get(args[0]);
        long start = System.nanoTime();
        write(out, seed);
        System.out.printf("wrote %s (%d bytes, seed %d) in %d ms%n", out, Files.size(out), seed,
                (System.nanoTime() - start) / 1_000_000);
    }

    /** Writes the model to {@code out} (atomically, via a temporary sibling file). */
    public static void write(Path out, long seed) throws IOException {
        byte[] bytes = build(seed);
        Path abs = out.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        // not Files.createTempFile: that would make the model readable by its owner only
        Path tmp = abs.resolveSibling(abs.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The vocabulary, in id order. */
    static List<String> tokens() {
        List<String> t = new ArrayList<>();
        t.add("<unk>");
        t.add("<s>");
        t.add("</s>");
        for (int b = 0; b < 256; b++) {
            t.add(String.format("<0x%02X>", b));
        }
        Set<String> normal = new LinkedHashSet<>();
        normal.add("\u2581"); // SentencePiece space
        normal.add("\n");
        for (char c = 'A'; c <= 'Z'; c++) {
            normal.add(String.valueOf(c));
        }
        for (char c = 'a'; c <= 'z'; c++) {
            normal.add(String.valueOf(c));
        }
        for (char c = '0'; c <= '9'; c++) {
            normal.add(String.valueOf(c));
        }
        for (char c : ".,;:!?'\"-()/&<>|_=*#[]{}".toCharArray()) {
            normal.add(String.valueOf(c));
        }
        // a few common multi-character pieces, so the tokenizer has something to merge
        for (String p : new String[] {"TH", "HE", "IN", "ER", "AN", "RE", "ON", "AT", "EN", "ND", "ST", "ES",
                "th", "he", "in", "er", "an", "re", "on", "at", "en", "nd", "st", "es",
                "\u2581t", "\u2581a", "\u2581the", "\u2581of", "\u2581and", "\u2581to", "\u2581in", "\u2581is",
                "\u2581A", "\u2581T", "\u2581S", "\u2581C", "ing", "ion", "ed", "ly", "\u2581\u2581"}) {
            normal.add(p);
        }
        t.addAll(normal);
        return t;
    }

    static byte[] build(long seed) {
        List<String> vocab = tokens();
        int nVocab = vocab.size();
        SplittableRandom rnd = new SplittableRandom(seed);

        // --- metadata ---
        Gguf g = new Gguf();
        List<Runnable> kvs = new ArrayList<>();
        kvs.add(() -> g.kvString("general.architecture", "llama"));
        kvs.add(() -> g.kvString("general.name", "crossword-helper tiny random model (seed " + seed + ")"));
        kvs.add(() -> g.kvUint32("general.alignment", ALIGNMENT));
        kvs.add(() -> g.kvUint32("llama.context_length", N_CTX));
        kvs.add(() -> g.kvUint32("llama.embedding_length", N_EMBD));
        kvs.add(() -> g.kvUint32("llama.block_count", N_LAYER));
        kvs.add(() -> g.kvUint32("llama.feed_forward_length", N_FF));
        kvs.add(() -> g.kvUint32("llama.attention.head_count", N_HEAD));
        kvs.add(() -> g.kvUint32("llama.attention.head_count_kv", N_HEAD_KV));
        kvs.add(() -> g.kvUint32("llama.rope.dimension_count", N_EMBD / N_HEAD));
        kvs.add(() -> g.kvFloat32("llama.rope.freq_base", 10000f));
        kvs.add(() -> g.kvFloat32("llama.attention.layer_norm_rms_epsilon", RMS_EPS));
        kvs.add(() -> g.kvUint32("llama.vocab_size", nVocab));
        kvs.add(() -> g.kvString("tokenizer.ggml.model", "llama"));
        kvs.add(() -> g.kvStringArray("tokenizer.ggml.tokens", vocab));
        kvs.add(() -> {
            float[] scores = new float[nVocab];
            for (int i = 0; i < nVocab; i++) {
                String s = vocab.get(i);
                // special and byte tokens score 0; longer pieces beat single characters when merging
                scores[i] = i < 3 + 256 ? 0f : -1000f + 100f * s.codePointCount(0, s.length()) - i * 0.01f;
            }
            g.kvFloat32Array("tokenizer.ggml.scores", scores);
        });
        kvs.add(() -> {
            int[] types = new int[nVocab];
            for (int i = 0; i < nVocab; i++) {
                types[i] = i == UNK_ID ? TYPE_UNKNOWN : i < 3 ? TYPE_CONTROL : i < 3 + 256 ? TYPE_BYTE : TYPE_NORMAL;
            }
            g.kvInt32Array("tokenizer.ggml.token_type", types);
        });
        kvs.add(() -> g.kvUint32("tokenizer.ggml.bos_token_id", BOS_ID));
        kvs.add(() -> g.kvUint32("tokenizer.ggml.eos_token_id", EOS_ID));
        kvs.add(() -> g.kvUint32("tokenizer.ggml.unknown_token_id", UNK_ID));
        kvs.add(() -> g.kvBool("tokenizer.ggml.add_bos_token", true));
        kvs.add(() -> g.kvBool("tokenizer.ggml.add_eos_token", false));

        // --- tensors (name, dims innermost first, data) ---
        List<Tensor> tensors = new ArrayList<>();
        tensors.add(random("token_embd.weight", rnd, 1.0f, N_EMBD, nVocab));
        for (int l = 0; l < N_LAYER; l++) {
            String p = "blk." + l + ".";
            int nEmbdKv = N_EMBD / N_HEAD * N_HEAD_KV;
            tensors.add(ones(p + "attn_norm.weight", N_EMBD));
            tensors.add(random(p + "attn_q.weight", rnd, scale(N_EMBD), N_EMBD, N_EMBD));
            tensors.add(random(p + "attn_k.weight", rnd, scale(N_EMBD), N_EMBD, nEmbdKv));
            tensors.add(random(p + "attn_v.weight", rnd, scale(N_EMBD), N_EMBD, nEmbdKv));
            tensors.add(random(p + "attn_output.weight", rnd, scale(N_EMBD), N_EMBD, N_EMBD));
            tensors.add(ones(p + "ffn_norm.weight", N_EMBD));
            tensors.add(random(p + "ffn_gate.weight", rnd, scale(N_EMBD), N_EMBD, N_FF));
            tensors.add(random(p + "ffn_up.weight", rnd, scale(N_EMBD), N_EMBD, N_FF));
            tensors.add(random(p + "ffn_down.weight", rnd, scale(N_FF), N_FF, N_EMBD));
        }
        tensors.add(ones("output_norm.weight", N_EMBD));
        tensors.add(random("output.weight", rnd, scale(N_EMBD) * 4f, N_EMBD, nVocab));

        // --- header ---
        g.raw(new byte[] {'G', 'G', 'U', 'F'});
        g.u32(3);
        g.u64(tensors.size());
        g.u64(kvs.size());
        for (Runnable kv : kvs) {
            kv.run();
        }
        long offset = 0;
        for (Tensor t : tensors) {
            g.string(t.name);
            g.u32(t.dims.length);
            for (long d : t.dims) {
                g.u64(d);
            }
            g.u32(GGML_TYPE_F32);
            g.u64(offset);
            offset = align(offset + 4L * t.data.length);
        }
        g.pad();
        long dataStart = g.size();
        for (Tensor t : tensors) {
            for (float f : t.data) {
                g.f32(f);
            }
            g.pad();
        }
        if (g.size() - dataStart != offset) {
            throw new IllegalStateException("tensor data size mismatch");
        }
        return g.bytes();
    }

    private static float scale(int fanIn) {
        return (float) (1.0 / Math.sqrt(fanIn));
    }

    private static long align(long n) {
        return (n + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    private static Tensor random(String name, SplittableRandom rnd, float scale, long... dims) {
        int n = (int) count(dims);
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            // uniform in [-scale*sqrt(3), scale*sqrt(3)): unit variance times scale
            data[i] = (float) ((rnd.nextDouble() * 2.0 - 1.0) * 1.7320508075688772 * scale);
        }
        return new Tensor(name, dims, data);
    }

    private static Tensor ones(String name, long... dims) {
        float[] data = new float[(int) count(dims)];
        java.util.Arrays.fill(data, 1.0f);
        return new Tensor(name, dims, data);
    }

    private static long count(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    private static final class Tensor {
        final String name;
        final long[] dims;
        final float[] data;

        Tensor(String name, long[] dims, float[] data) {
            this.name = name;
            this.dims = dims;
            this.data = data;
        }
    }

    /** Little-endian GGUF byte writer. */
    private static final class Gguf {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);

        void raw(byte[] b) {
            out.write(b, 0, b.length);
        }

        void u8(int v) {
            out.write(v & 0xFF);
        }

        void u32(int v) {
            for (int i = 0; i < 4; i++) {
                out.write((v >>> (8 * i)) & 0xFF);
            }
        }

        void u64(long v) {
            for (int i = 0; i < 8; i++) {
                out.write((int) (v >>> (8 * i)) & 0xFF);
            }
        }

        void f32(float f) {
            u32(Float.floatToIntBits(f));
        }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            raw(b);
        }

        void kvUint32(String key, int v) {
            string(key);
            u32(GGUF_UINT32);
            u32(v);
        }

        void kvFloat32(String key, float v) {
            string(key);
            u32(GGUF_FLOAT32);
            f32(v);
        }

        void kvBool(String key, boolean v) {
            string(key);
            u32(GGUF_BOOL);
            u8(v ? 1 : 0);
        }

        void kvString(String key, String v) {
            string(key);
            u32(GGUF_STRING);
            string(v);
        }

        void kvStringArray(String key, List<String> v) {
            string(key);
            u32(GGUF_ARRAY);
            u32(GGUF_STRING);
            u64(v.size());
            for (String s : v) {
                string(s);
            }
        }

        void kvFloat32Array(String key, float[] v) {
            string(key);
            u32(GGUF_ARRAY);
            u32(GGUF_FLOAT32);
            u64(v.length);
            for (float f : v) {
                f32(f);
            }
        }

        void kvInt32Array(String key, int[] v) {
            string(key);
            u32(GGUF_ARRAY);
            u32(GGUF_INT32);
            u64(v.length);
            for (int i : v) {
                u32(i);
            }
        }

        void pad() {
            while (out.size() % ALIGNMENT != 0) {
                out.write(0);
            }
        }

        long size() {
            return out.size();
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
