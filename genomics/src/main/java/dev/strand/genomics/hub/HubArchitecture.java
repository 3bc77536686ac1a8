package dev.strand.genomics.hub;

import dev.strand.nn.FeedForward;
import dev.strand.nn.attention.AttentionConfig;
import dev.strand.nn.attention.BigBirdAttention;
import dev.strand.nn.transformer.BertModel;
import dev.strand.nn.transformer.Architecture;
import dev.strand.nn.transformer.Positions;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The published encoder families Strand imports, each as Strand's transformer configured to compute
 * what the reference code computes, with the names its checkpoints give each parameter (sources:
 * DNABERT-2's {@code bert_layers.py}, InstaDeep's and Hugging Face's {@code modeling_esm.py},
 * GENA-LM's {@code modeling_bert.py}).
 */
public enum HubArchitecture {
    /** DNABERT-2: post-LN BERT with ALiBi and no position table, fused {@code Wqkv}, GEGLU MLP, tied MLM head. */
    DNABERT_2("DNABERT-2") {
        @Override
        TransformerConfig config(HubConfig c) {
            c.require("hidden_act", "gelu", "gelu");
            Architecture a = new Architecture(true, false, c.integer("type_vocab_size", 2), FeedForward.Kind.GEGLU, false, true, true, true, -1, names(c));
            return new TransformerConfig(c.size("vocab_size"), c.size("hidden_size"), c.size("num_hidden_layers"), c.size("num_attention_heads"),
                    c.size("intermediate_size"), c.integer("max_position_embeddings", 512), dropout(c), false, Positions.ALIBI,
                    eps(c), AttentionConfig.dense(), null, a);
        }

        @Override
        List<List<String>> names(HubConfig c) {
            return pairs("encoder.tokens", "bert.embeddings.word_embeddings",
                    "encoder.token_types", "bert.embeddings.token_type_embeddings",
                    "encoder.norm", "bert.embeddings.LayerNorm",
                    "encoder.layers.{i}.attention.qkv", "bert.encoder.layer.{i}.attention.self.Wqkv",
                    "encoder.layers.{i}.attention.output", "bert.encoder.layer.{i}.attention.output.dense",
                    "encoder.layers.{i}.norm1", "bert.encoder.layer.{i}.attention.output.LayerNorm",
                    "encoder.layers.{i}.ffn.linear1", "bert.encoder.layer.{i}.mlp.gated_layers",
                    "encoder.layers.{i}.ffn.linear2", "bert.encoder.layer.{i}.mlp.wo",
                    "encoder.layers.{i}.norm2", "bert.encoder.layer.{i}.mlp.layernorm",
                    "mlm.dense", "cls.predictions.transform.dense",
                    "mlm.norm", "cls.predictions.transform.LayerNorm",
                    "mlm.bias", "cls.predictions.decoder.bias",
                    "head.output", "classifier");
        }
    },

    /**
     * The Nucleotide Transformer (ESM layout): pre-LN, a final norm, untied LM head; v1 with learned
     * positions counted from pad + 1 (RoBERTa's convention) and token dropout, v2 with rotary
     * positions and a SwiGLU MLP ({@code add_bias_fnn}).
     */
    NUCLEOTIDE_TRANSFORMER("Nucleotide Transformer (ESM layout)") {
        @Override
        TransformerConfig config(HubConfig c) {
            boolean rotary = switch (c.text("position_embedding_type", "absolute")) {
                case "rotary" -> true;
                case "absolute" -> false;
                default -> throw new IllegalArgumentException(c.file() + ": \"position_embedding_type\" is \"" + c.text("position_embedding_type", "")
                        + "\"; Strand imports ESM models with \"rotary\" or \"absolute\" positions");
            };
            boolean v2 = c.has("add_bias_fnn");
            boolean bias = c.flag("add_bias_fnn", true);
            int tokenDropout = c.flag("token_dropout", false) ? c.integer("mask_token_id", -1) : -1;
            if (c.flag("token_dropout", false) && tokenDropout < 0) throw new IllegalArgumentException(c.file() + ": token_dropout is true but there is no \"mask_token_id\"");
            Architecture a = new Architecture(c.flag("emb_layer_norm_before", false), true, 0, v2 ? FeedForward.Kind.SWIGLU : FeedForward.Kind.GELU,
                    bias, bias, false, c.flag("tie_word_embeddings", false), tokenDropout, names(c));
            int table = c.size("max_position_embeddings");
            int maxLength = rotary ? table : table - positionOffset(c);
            return new TransformerConfig(c.size("vocab_size"), c.size("hidden_size"), c.size("num_hidden_layers"), c.size("num_attention_heads"),
                    c.size("intermediate_size"), maxLength, dropout(c), true, rotary ? Positions.ROPE : Positions.LEARNED,
                    eps(c), AttentionConfig.dense(), null, a);
        }

        @Override
        List<List<String>> names(HubConfig c) {
            List<List<String>> p = new ArrayList<>(pairs("encoder.tokens", "esm.embeddings.word_embeddings",
                    "encoder.positions", "esm.embeddings.position_embeddings",
                    c.flag("emb_layer_norm_before", false) ? "encoder.embedding_norm" : "-", "esm.embeddings.layer_norm",
                    "encoder.norm", "esm.encoder.emb_layer_norm_after",
                    "encoder.layers.{i}.norm1", "esm.encoder.layer.{i}.attention.LayerNorm",
                    "encoder.layers.{i}.attention.query", "esm.encoder.layer.{i}.attention.self.query",
                    "encoder.layers.{i}.attention.key", "esm.encoder.layer.{i}.attention.self.key",
                    "encoder.layers.{i}.attention.value", "esm.encoder.layer.{i}.attention.self.value",
                    "encoder.layers.{i}.attention.output", "esm.encoder.layer.{i}.attention.output.dense",
                    "encoder.layers.{i}.norm2", "esm.encoder.layer.{i}.LayerNorm",
                    "encoder.layers.{i}.ffn.linear1", "esm.encoder.layer.{i}.intermediate.dense",
                    "encoder.layers.{i}.ffn.linear2", "esm.encoder.layer.{i}.output.dense",
                    "mlm.dense", "lm_head.dense",
                    "mlm.norm", "lm_head.layer_norm",
                    "mlm.decoder_weight", "lm_head.decoder.weight",
                    "mlm.bias", "lm_head.bias",
                    "head.output", "classifier"));
            p.removeIf(pair -> pair.get(0).equals("-"));
            return p;
        }

        /** v1's table starts with rows for ids 0 … pad (only padding reads them): Strand's position 0 is row pad + 1. */
        @Override
        Tensor adapt(String strandName, Tensor original, HubConfig c) {
            if (!strandName.equals("encoder.positions.weight")) return original;
            int offset = positionOffset(c);
            return original.narrow(0, offset, original.size(0) - offset).copy();
        }

        /** The rows ids 0 … pad would read come back as zeros: nothing Strand trained is lost, and padding never reads them. */
        @Override
        Tensor restore(String strandName, Tensor strand, HubConfig c) {
            if (!strandName.equals("encoder.positions.weight")) return strand;
            int offset = positionOffset(c);
            Tensor table = Tensor.zeros(strand.size(0) + offset, strand.size(1));
            table.narrow(0, offset, strand.size(0)).copyFrom(strand);
            return table;
        }

        private int positionOffset(HubConfig c) {
            return c.integer("pad_token_id", 1) + 1;
        }
    },

    /** GENA-LM BERT: pre-LN BERT (an embedding norm, optionally {@code last_layer_ln}), learned positions, tied MLM head. */
    GENA_BERT("GENA-LM BERT") {
        @Override
        TransformerConfig config(HubConfig c) {
            c.require("hidden_act", "gelu", "gelu");
            boolean rotary = switch (c.text("position_embedding_type", "absolute")) {
                case "absolute" -> false;
                case "rotary" -> true;
                default -> throw new IllegalArgumentException(c.file() + ": \"position_embedding_type\" is \"" + c.text("position_embedding_type", "")
                        + "\"; Strand imports GENA-LM models with \"absolute\" or \"rotary\" positions");
            };
            Architecture a = new Architecture(true, lastLayerNorm(c), c.integer("type_vocab_size", 2), FeedForward.Kind.GELU, true, true, false, true, -1, names(c))
                    .withRotary(rotary ? c.integer("rotary_dim", 0) : 0, rotary ? (float) c.number("rotary_base", 10000) : 0f);
            return new TransformerConfig(c.size("vocab_size"), c.size("hidden_size"), c.size("num_hidden_layers"), c.size("num_attention_heads"),
                    c.size("intermediate_size"), c.size("max_position_embeddings"), dropout(c), true, rotary ? Positions.ROPE : Positions.LEARNED,
                    eps(c), sparseAttention(c), null, a);
        }

        /**
         * GENA-LM's sparse models: DeepSpeed's BigBird sparsity, Strand's "gena" layout (the first
         * blocks global as rows and columns, a window, random blocks per head and row).
         */
        private AttentionConfig sparseAttention(HubConfig c) {
            if (!c.has("sparse_config_cls")) return AttentionConfig.dense();
            String cls = c.text("sparse_config_cls", "");
            if (!cls.endsWith(":BigBirdSparsityConfig")) {
                throw new IllegalArgumentException(c.file() + ": \"sparse_config_cls\" is " + cls + "; Strand imports DeepSpeed's BigBirdSparsityConfig");
            }
            HubConfig s = c.object("sparse_attention");
            if (!"bidirectional".equals(s.text("attention", "bidirectional"))) throw new IllegalArgumentException(c.file() + ": sparse attention must be bidirectional");
            // DeepSpeed's BigBirdSparsityConfig defaults
            return new AttentionConfig.BigBird(s.integer("block", 16), s.integer("num_sliding_window_blocks", 3), s.integer("num_global_blocks", 1),
                    s.integer("num_random_blocks", 1), "gena", "block-zero");
        }

        /**
         * DeepSpeed saves each layer's whole layout ({@code master_layout} [H, blocks, blocks], 1 where
         * a query block reads a key block), but runs every layer with the first layer's: its
         * {@code SparseSelfAttention} caches the kernels per length in a class attribute, built by
         * whichever layer runs first. Strand does what the model did, reading layer 0's random
         * blocks into every layer's table.
         */
        @Override
        List<String> loadBuffers(BertModel model, Map<String, Tensor> tensors, Set<String> unused, String where) {
            List<BigBirdAttention> layers = BigBirdAttention.in(model);
            if (layers.isEmpty()) return List.of();
            String first = masterLayout(0);
            Tensor master = tensors.get(first);
            for (int i = 0; i < layers.size(); i++) unused.remove(masterLayout(i));
            if (master == null) {
                return List.of("the checkpoint holds no " + first + ": the random blocks are Strand's own draw, not the ones the model was trained with");
            }
            Map<String, Tensor> buffers = model.namedBuffers();
            for (int i = 0; i < layers.size(); i++) {
                Tensor table = buffers.get("encoder.layers." + i + ".attention.layout");
                table.copyFrom(SparseLayouts.randomTable(master, layers.get(i).layout(), table.shape(), where + ": " + first));
            }
            return List.of("every layer reads layer 0's sparse layout, as DeepSpeed ran them (the other layers' saved layouts are unused)");
        }

        private static String masterLayout(int layer) {
            return "bert.encoder.layer." + layer + ".attention.self.sparse_self_attention.master_layout";
        }

        @Override
        List<List<String>> names(HubConfig c) {
            boolean last = lastLayerNorm(c);
            List<List<String>> p = new ArrayList<>(pairs("encoder.tokens", "bert.embeddings.word_embeddings",
                    "encoder.positions", "bert.embeddings.position_embeddings",
                    "encoder.token_types", "bert.embeddings.token_type_embeddings",
                    last ? "encoder.embedding_norm" : "encoder.norm", "bert.embeddings.LayerNorm",
                    last ? "encoder.norm" : "-", "bert.encoder.last_layer_ln",
                    "encoder.layers.{i}.norm1", "bert.encoder.layer.{i}.pre_attention_ln",
                    "encoder.layers.{i}.attention.query", "bert.encoder.layer.{i}.attention.self.query",
                    "encoder.layers.{i}.attention.key", "bert.encoder.layer.{i}.attention.self.key",
                    "encoder.layers.{i}.attention.value", "bert.encoder.layer.{i}.attention.self.value",
                    "encoder.layers.{i}.attention.output", "bert.encoder.layer.{i}.attention.output.dense",
                    "encoder.layers.{i}.norm2", "bert.encoder.layer.{i}.post_attention_ln",
                    "encoder.layers.{i}.ffn.linear1", "bert.encoder.layer.{i}.intermediate.dense",
                    "encoder.layers.{i}.ffn.linear2", "bert.encoder.layer.{i}.output.dense",
                    "mlm.dense", "cls.predictions.transform.dense",
                    "mlm.norm", "cls.predictions.transform.LayerNorm",
                    "mlm.bias", "cls.predictions.bias",
                    "head.output", "classifier"));
            p.removeIf(pair -> pair.get(0).equals("-"));
            return p;
        }

        /** GENA-LM's config: {@code last_layer_norm} defaults to {@code pre_layer_norm}. */
        private boolean lastLayerNorm(HubConfig c) {
            return c.flag("last_layer_norm", c.flag("pre_layer_norm", false));
        }
    },

    /**
     * Hugging Face's BigBird (GENA-LM's bigbird-base-t2t): post-LN BERT with learned positions and
     * Strand's BigBird attention in Hugging Face's ITC layout (random blocks drawn per call in
     * training, block 0 in evaluation, full attention for inputs of at most (5 + 2r) blocks).
     */
    BIGBIRD("BigBird (Hugging Face)") {
        @Override
        TransformerConfig config(HubConfig c) {
            if (c.flag("rescale_embeddings", false)) throw new IllegalArgumentException(c.file() + ": \"rescale_embeddings\" true is not supported (embeddings scaled by the square root of the width)");
            if (!c.flag("use_bias", true)) throw new IllegalArgumentException(c.file() + ": \"use_bias\" false (query, key and value without biases) is not supported");
            FeedForward.Kind act = switch (c.text("hidden_act", "gelu_new")) {
                case "gelu" -> FeedForward.Kind.GELU;
                case "gelu_new", "gelu_pytorch_tanh" -> FeedForward.Kind.GELU_TANH;
                default -> throw new IllegalArgumentException(c.file() + ": \"hidden_act\" is \"" + c.text("hidden_act", "") + "\"; Strand imports BigBird with gelu or gelu_new");
            };
            AttentionConfig attention = switch (c.text("attention_type", "block_sparse")) {
                case "block_sparse" -> new AttentionConfig.BigBird(c.size("block_size"), 3, 2, c.size("num_random_blocks"), "itc", "block-zero");
                case "original_full" -> AttentionConfig.dense();
                default -> throw new IllegalArgumentException(c.file() + ": unknown \"attention_type\" \"" + c.text("attention_type", "") + "\"");
            };
            Architecture a = new Architecture(true, false, c.integer("type_vocab_size", 2), act, true, true, false, true, -1, names(c));
            return new TransformerConfig(c.size("vocab_size"), c.size("hidden_size"), c.size("num_hidden_layers"), c.size("num_attention_heads"),
                    c.size("intermediate_size"), c.size("max_position_embeddings"), dropout(c), false, Positions.LEARNED,
                    eps(c), attention, null, a);
        }

        @Override
        List<List<String>> names(HubConfig c) {
            return pairs("encoder.tokens", "bert.embeddings.word_embeddings",
                    "encoder.positions", "bert.embeddings.position_embeddings",
                    "encoder.token_types", "bert.embeddings.token_type_embeddings",
                    "encoder.norm", "bert.embeddings.LayerNorm",
                    "encoder.layers.{i}.attention.query", "bert.encoder.layer.{i}.attention.self.query",
                    "encoder.layers.{i}.attention.key", "bert.encoder.layer.{i}.attention.self.key",
                    "encoder.layers.{i}.attention.value", "bert.encoder.layer.{i}.attention.self.value",
                    "encoder.layers.{i}.attention.output", "bert.encoder.layer.{i}.attention.output.dense",
                    "encoder.layers.{i}.norm1", "bert.encoder.layer.{i}.attention.output.LayerNorm",
                    "encoder.layers.{i}.ffn.linear1", "bert.encoder.layer.{i}.intermediate.dense",
                    "encoder.layers.{i}.ffn.linear2", "bert.encoder.layer.{i}.output.dense",
                    "encoder.layers.{i}.norm2", "bert.encoder.layer.{i}.output.LayerNorm",
                    "mlm.dense", "cls.predictions.transform.dense",
                    "mlm.norm", "cls.predictions.transform.LayerNorm",
                    "mlm.bias", "cls.predictions.bias",
                    "head.output", "classifier");
        }
    };

    /** The family's usual name. */
    public final String title;

    HubArchitecture(String title) {
        this.title = title;
    }

    /** Strand's config for this family's {@code config.json}. */
    abstract TransformerConfig config(HubConfig c);

    /** Pairs of templates: Strand's parameter name, then this family's. */
    abstract List<List<String>> names(HubConfig c);

    /** A checkpoint tensor made to fit Strand's parameter (the same tensor unless a family's layout differs). */
    Tensor adapt(String strandName, Tensor original, HubConfig c) {
        return original;
    }

    /**
     * Refuses a checkpoint whose buffers say it computes something else than Strand's model of
     * {@code config}: rotary models save each layer's inverse frequencies ({@code …inv_freq}), which
     * must be those of the config's base over its rotated features.
     */
    void check(Map<String, Tensor> tensors, TransformerConfig config, String where) {
        if (config.positions() != Positions.ROPE) return;
        Architecture a = config.architecture();
        int rotated = a.rotaryDim() == 0 ? config.dim() / config.heads() : a.rotaryDim();
        double base = a.rotaryBase() == 0 ? 10000 : a.rotaryBase();
        tensors.forEach((name, t) -> {
            if (!name.endsWith("inv_freq")) return;
            float[] f = t.toFloatArray();
            boolean same = f.length == rotated / 2;
            for (int i = 0; same && i < f.length; i++) {
                double want = Math.pow(base, -2.0 * i / rotated);
                same = Math.abs(f[i] - want) <= 1e-6 * want + 1e-9;
            }
            if (!same) {
                throw new IllegalArgumentException(where + ": " + name + " is not the rotary frequencies of base " + (float) base + " over "
                        + rotated + " features, which config.json makes Strand's rotary positions");
            }
        });
    }

    /** Reads the family's buffers that are part of what the model computes (a sparse layout) into {@code model}; returns notes for the user. */
    List<String> loadBuffers(BertModel model, Map<String, Tensor> tensors, Set<String> unused, String where) {
        return List.of();
    }

    /** A Strand parameter as this family's checkpoint holds it: the inverse of {@link #adapt}. */
    Tensor restore(String strandName, Tensor strand, HubConfig c) {
        return strand;
    }

    /**
     * Which family a {@code config.json} describes, by {@code model_type} and the fields only one
     * family has (REFERENCES §4.4); a clear refusal for anything else.
     */
    public static HubArchitecture detect(HubConfig c) {
        String type = c.text("model_type", null);
        if (type == null) throw new IllegalArgumentException(c.file() + " has no \"model_type\"; is this a Hugging Face model directory?");
        return switch (type) {
            case "bert" -> {
                if (c.has("alibi_starting_size")) yield DNABERT_2;
                if (c.flag("pre_layer_norm", false)) yield GENA_BERT;
                throw new IllegalArgumentException(c.file() + " describes a plain BERT (no \"alibi_starting_size\" as DNABERT-2 has, no \"pre_layer_norm\" as GENA-LM has); "
                        + "Strand imports " + families());
            }
            case "esm" -> NUCLEOTIDE_TRANSFORMER;
            case "big_bird" -> BIGBIRD;
            default -> throw new IllegalArgumentException(c.file() + ": unknown \"model_type\" \"" + type + "\"; Strand imports " + families());
        };
    }

    private static String families() {
        return "DNABERT-2 (model_type bert with alibi_starting_size), the Nucleotide Transformer (esm), GENA-LM BERT (bert with pre_layer_norm) and BigBird (big_bird)";
    }

    private static float dropout(HubConfig c) {
        return (float) c.number("hidden_dropout_prob", 0.1);
    }

    private static float eps(HubConfig c) {
        return (float) c.number("layer_norm_eps", 1e-12);
    }

    private static List<List<String>> pairs(String... strandThenOriginal) {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < strandThenOriginal.length; i += 2) out.add(List.of(strandThenOriginal[i], strandThenOriginal[i + 1]));
        return out;
    }
}
