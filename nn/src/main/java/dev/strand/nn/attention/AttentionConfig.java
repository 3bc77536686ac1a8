package dev.strand.nn.attention;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.strand.tensor.Generator;

/**
 * Which kind of self-attention a model's blocks use, with its settings; saved in a model's
 * {@code config.json} as {@code "attention": {"kind": "dense"}} or {@code {"kind": "bigbird", …}}.
 * A new kind is a new record here that builds its own {@link SelfAttention}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(value = AttentionConfig.Dense.class, name = "dense"),
        @JsonSubTypes.Type(value = AttentionConfig.BigBird.class, name = "bigbird")})
public sealed interface AttentionConfig permits AttentionConfig.Dense, AttentionConfig.BigBird {
    /**
     * Where a layer sits: width {@code dim}, {@code heads} heads, dropout, the longest input in
     * tokens, its index among the blocks (0 first), and whether its query, key and value
     * projections are one fused matrix.
     */
    record Placement(int dim, int heads, float dropout, int maxLength, int layer, boolean fusedQkv) {}

    /** A fresh attention layer; {@code rope} rotates queries and keys (null unless the model uses rotary positions). */
    SelfAttention build(Placement at, Rope rope, Generator gen);

    /** Dense multi-head attention over every allowed key ({@link MultiHeadAttention}); the default. */
    record Dense() implements AttentionConfig {
        @Override
        public SelfAttention build(Placement at, Rope rope, Generator gen) {
            return new MultiHeadAttention(at.dim(), at.heads(), at.dropout(), at.fusedQkv(), rope, gen);
        }
    }

    /**
     * BigBird block-sparse attention ({@link BigBirdAttention}): blocks of {@code block} tokens, a
     * window of {@code window} blocks, {@code global} global blocks and {@code random} random
     * blocks per row, in GENA-LM's ("gena") or Hugging Face's ("itc") layout; {@code itcEval} is
     * what an ITC layout's random blocks are in evaluation ("block-zero", Hugging Face's, or
     * "random"). ITC fixes window 3 and 2 globals.
     */
    record BigBird(int block, int window, int global, int random, String layout, String itcEval) implements AttentionConfig {
        public BigBird {
            if (layout == null) layout = "gena";
            if (itcEval == null) itcEval = "block-zero";
            if (!layout.equals("gena") && !layout.equals("itc")) throw new IllegalArgumentException("BigBird layout must be gena or itc, got '" + layout + "'");
            if (!itcEval.equals("block-zero") && !itcEval.equals("random")) {
                throw new IllegalArgumentException("BigBird itc-eval must be block-zero or random, got '" + itcEval + "'");
            }
            if (layout.equals("itc") && (window != 3 || global != 2)) {
                throw new IllegalArgumentException("the itc layout has a window of 3 blocks and 2 global blocks (first and last), got window " + window + ", global " + global);
            }
            BigBirdLayout.checkSettings(block, window, global, random);
        }

        /** GENA-LM's sparse models' settings: blocks of 64, window 3, 2 global, 3 random. */
        public static BigBird gena() {
            return new BigBird(64, 3, 2, 3, "gena", "block-zero");
        }

        @Override
        public SelfAttention build(Placement at, Rope rope, Generator gen) {
            int maxBlocks = (at.maxLength() + block - 1) / block;
            BigBirdLayout l = layout.equals("gena")
                    ? BigBirdLayout.gena(block, window, global, random, at.heads(), Math.max(maxBlocks, random), gen)
                    : BigBirdLayout.itc(block, random, at.heads(), at.layer(), at.maxLength(),
                            itcEval.equals("random") ? BigBirdLayout.ItcEval.RANDOM : BigBirdLayout.ItcEval.BLOCK_ZERO);
            return new BigBirdAttention(at.dim(), at.heads(), l, at.fusedQkv(), rope, gen);
        }
    }

    /** Dense attention. */
    static AttentionConfig dense() {
        return new Dense();
    }
}
