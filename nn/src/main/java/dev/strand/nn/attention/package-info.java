/**
 * Self-attention behind one interface: {@link dev.strand.nn.attention.SelfAttention} is what a
 * transformer block holds, {@link dev.strand.nn.attention.AttentionMask} describes what each query
 * may see (key padding, causality, ALiBi, cached positions), and
 * {@link dev.strand.nn.attention.AttentionConfig} names the kind a model uses, saved in its config.
 * Dense multi-head attention ({@link dev.strand.nn.attention.MultiHeadAttention}) is the kind there
 * is today; block-sparse attention plugs in as another {@code AttentionConfig} and
 * {@code SelfAttention}. Also RoPE, ALiBi, the KV cache and a one-head walkthrough for readers.
 *
 * <p>Uses {@code dev.strand.nn} (Module, Linear, Dropout), autograd and tensor; not the transformer package.
 */
package dev.strand.nn.attention;
