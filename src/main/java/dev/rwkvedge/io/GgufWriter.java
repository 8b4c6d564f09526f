package dev.rwkvedge.io;

import dev.rwkvedge.tensor.DType;
import dev.rwkvedge.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes GGUF v3 for llama.cpp's rwkv6 / rwkv7 architectures: its tensor names and layouts (README §8.4), the KV keys
 * its converter writes (§8.3), tensors in the dtype given (F32, F16, BF16, Q8_0 and the other ggml block types),
 * 32-byte aligned.
 */
public final class GgufWriter {
    private static final int ALIGNMENT = GgufFile.DEFAULT_ALIGNMENT;
    /** llama_ftype of the model's main matrices (general.file_type). */
    private static final DTypeCodes FILE_TYPES = new DTypeCodes("llama_ftype", 0, DType.F32, 1, DType.F16, 2, DType.Q4_0,
            3, DType.Q4_1, 7, DType.Q8_0, 8, DType.Q5_0, 9, DType.Q5_1, 15, DType.Q4_K, 32, DType.BF16);
    private static final long CONTEXT_LENGTH = 1048576; // llama.cpp's converter: "RWKV isn't context limited"

    private record Kv(String key, int type, Object value) {}

    private GgufWriter() {}

    public static void write(Path dest, Map<String, Tensor> canonical, String modelName,
                             Optional<Checkpoint.EmbeddedVocabulary> vocabulary) throws IOException {
        Generation gen = Generation.detect(canonical.keySet());
        if (gen != Generation.V6 && gen != Generation.V7) throw new IllegalArgumentException("GGUF output supports RWKV-6 and RWKV-7, not " + gen);
        List<Tensor> tensors = GgufNames.fromStored(RwkvCppLayout.toStored(canonical, gen), gen);
        List<Kv> kvs = keys(canonical, gen, modelName, vocabulary);
        List<long[]> offsets = new ArrayList<>();
        long offset = 0;
        for (Tensor t : tensors) {
            GgufFile.CODES.code(t.dtype()); // fails before any byte is written on a dtype GGUF cannot hold
            offsets.add(new long[] {offset});
            offset = (offset + t.data().byteSize() + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        }
        AtomicFile.write(dest, out -> {
            out.i32(GgufFile.MAGIC).i32(3).i64(tensors.size()).i64(kvs.size());
            for (Kv kv : kvs) {
                string(out, kv.key());
                out.i32(kv.type());
                value(out, kv.type(), kv.value());
            }
            for (int i = 0; i < tensors.size(); i++) {
                Tensor t = tensors.get(i);
                string(out, t.name());
                long[] s = t.shape();
                out.i32(s.length);
                for (int d = s.length - 1; d >= 0; d--) out.i64(s[d]);
                out.i32(GgufFile.CODES.code(t.dtype())).i64(offsets.get(i)[0]);
            }
            out.padTo(ALIGNMENT);
            for (Tensor t : tensors) out.segment(t.data()).padTo(ALIGNMENT);
        }, tensors, (tmp, arena) -> {
            GgufFile f = GgufFile.parse(tmp, MappedFile.map(tmp, arena));
            if (f.kv().size() != kvs.size()) throw new IOException("writing " + dest + ": KVs did not read back");
            return f.tensors();
        });
    }

    private static List<Kv> keys(Map<String, Tensor> c, Generation gen, String name, Optional<Checkpoint.EmbeddedVocabulary> vocab) {
        String arch = gen == Generation.V7 ? "rwkv7" : "rwkv6";
        Tensor emb = require(c, "emb.weight");
        long embd = emb.shape()[1];
        long layers = c.keySet().stream().filter(n -> n.matches("blocks\\.\\d+\\.ln1\\.weight")).count();
        long headSize = gen == Generation.V7 ? require(c, "blocks.0.att.r_k").shape()[1] : require(c, "blocks.0.att.time_faaaa").shape()[1];
        List<Kv> kv = new ArrayList<>();
        kv.add(new Kv("general.architecture", GgufFile.T_STRING, arch));
        kv.add(new Kv("general.type", GgufFile.T_STRING, "model"));
        kv.add(new Kv("general.name", GgufFile.T_STRING, name));
        kv.add(new Kv(arch + ".context_length", GgufFile.T_UINT32, CONTEXT_LENGTH));
        kv.add(new Kv(arch + ".embedding_length", GgufFile.T_UINT32, embd));
        kv.add(new Kv(arch + ".block_count", GgufFile.T_UINT32, layers));
        kv.add(new Kv(arch + ".attention.layer_norm_epsilon", GgufFile.T_FLOAT32, 1e-5));
        if (gen == Generation.V7) {
            kv.add(new Kv(arch + ".wkv.head_size", GgufFile.T_UINT32, headSize));
            kv.add(new Kv(arch + ".attention.decay_lora_rank", GgufFile.T_UINT32, require(c, "blocks.0.att.w1").shape()[1]));
            kv.add(new Kv(arch + ".attention.iclr_lora_rank", GgufFile.T_UINT32, require(c, "blocks.0.att.a1").shape()[1]));
            Tensor v1 = c.getOrDefault(layers > 1 ? "blocks.1.att.v1" : "blocks.0.att.v1", c.get("blocks.0.att.a1"));
            kv.add(new Kv(arch + ".attention.value_residual_mix_lora_rank", GgufFile.T_UINT32, v1.shape()[1]));
            kv.add(new Kv(arch + ".attention.gate_lora_rank", GgufFile.T_UINT32, require(c, "blocks.0.att.g1").shape()[1]));
        } else {
            kv.add(new Kv(arch + ".rescale_every_n_layers", GgufFile.T_UINT32, 0L));
            kv.add(new Kv(arch + ".wkv.head_size", GgufFile.T_UINT32, headSize));
            kv.add(new Kv(arch + ".time_mix_extra_dim", GgufFile.T_UINT32, require(c, "blocks.0.att.time_maa_w1").shape()[1] / 5));
            kv.add(new Kv(arch + ".time_decay_extra_dim", GgufFile.T_UINT32, require(c, "blocks.0.att.time_decay_w1").shape()[1]));
        }
        kv.add(new Kv(arch + ".feed_forward_length", GgufFile.T_UINT32, require(c, "blocks.0.ffn.key.weight").shape()[0]));
        kv.add(new Kv("general.file_type", GgufFile.T_UINT32, (long) FILE_TYPES.code(require(c, "blocks.0.att.key.weight").dtype())));
        kv.add(new Kv(arch + ".attention.head_count", GgufFile.T_UINT32, 0L)); // required by llama.cpp, unused
        kv.add(new Kv("general.quantization_version", GgufFile.T_UINT32, 2L));
        // llama.cpp requires tokenizer.ggml.model; "no_vocab" loads the model without a tokenizer
        if (vocab.isEmpty()) kv.add(new Kv("tokenizer.ggml.model", GgufFile.T_STRING, "no_vocab"));
        vocab.ifPresent(v -> {
            kv.add(new Kv("tokenizer.ggml.model", GgufFile.T_STRING, v.model()));
            List<Object> tokens = new ArrayList<>();
            List<Object> types = new ArrayList<>();
            for (int i = 0; i < v.tokens().size(); i++) {
                tokens.add(v.model().equals("rwkv") ? escape(v.tokens().get(i)) : new String(v.tokens().get(i), java.nio.charset.StandardCharsets.UTF_8));
                types.add(i == 0 ? 3L : 1L); // the converter marks id 0 CONTROL, the rest NORMAL
            }
            kv.add(new Kv("tokenizer.ggml.tokens", GgufFile.T_ARRAY, new GgufFile.Array(GgufFile.T_STRING, tokens)));
            kv.add(new Kv("tokenizer.ggml.token_type", GgufFile.T_ARRAY, new GgufFile.Array(GgufFile.T_INT32, types)));
            kv.add(new Kv("tokenizer.ggml.bos_token_id", GgufFile.T_UINT32, 0L));
            kv.add(new Kv("tokenizer.ggml.eos_token_id", GgufFile.T_UINT32, 0L));
        });
        return kv;
    }

    private static Tensor require(Map<String, Tensor> c, String name) {
        Tensor t = c.get(name);
        if (t == null) throw new IllegalArgumentException("GGUF output needs tensor " + name);
        return t;
    }

    /** llama_ftype of the model's main matrices. */

    /** The converter's repr(bytes) body, which llama.cpp's RWKV tokenizer un-escapes (see {@link GgufReader#unescape}). */
    static String escape(byte[] token) {
        StringBuilder sb = new StringBuilder();
        for (byte b : token) {
            int c = b & 0xff;
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
            }
        }
        return sb.toString();
    }

    private static void string(FileSink out, String s) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.i64(b.length).bytes(b);
    }

    private static void value(FileSink out, int type, Object v) throws IOException {
        switch (type) {
            case GgufFile.T_STRING -> string(out, (String) v);
            case GgufFile.T_UINT32, GgufFile.T_INT32 -> out.i32((int) (long) (Long) v);
            case GgufFile.T_FLOAT32 -> out.f32((float) (double) (Double) v);
            case GgufFile.T_ARRAY -> {
                GgufFile.Array a = (GgufFile.Array) v;
                out.i32(a.type()).i64(a.values().size());
                for (Object o : a.values()) value(out, a.type(), o);
            }
            default -> throw new IllegalStateException("KV type " + type + " is not written");
        }
    }
}
