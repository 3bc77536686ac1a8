package dev.strand.nn.attention;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.strand.tensor.Generator;

/**
 * Which kind of self-attention a model's blocks use, with its settings; saved in a model's
 * {@code config.json} as {@code "attention": {"kind": "dense"}}. A new kind (block-sparse, say) is
 * a new record here that builds its own {@link SelfAttention}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(value = AttentionConfig.Dense.class, name = "dense")})
public sealed interface AttentionConfig permits AttentionConfig.Dense {
    /**
     * A fresh attention layer for a block of width {@code dim} with {@code heads} heads; {@code rope}
     * rotates queries and keys (null unless the model uses rotary positions).
     */
    SelfAttention build(int dim, int heads, float dropout, Rope rope, Generator gen);

    /** Dense multi-head attention over every allowed key ({@link MultiHeadAttention}); the default. */
    record Dense() implements AttentionConfig {
        @Override
        public SelfAttention build(int dim, int heads, float dropout, Rope rope, Generator gen) {
            return new MultiHeadAttention(dim, heads, dropout, rope, gen);
        }
    }

    /** Dense attention. */
    static AttentionConfig dense() {
        return new Dense();
    }
}
