/**
 * Transformers: {@link dev.strand.nn.transformer.TransformerConfig} (saved as a checkpoint's
 * {@code config.json}), {@link dev.strand.nn.transformer.TransformerBlock} (one block for encoders
 * and decoders), the {@link dev.strand.nn.transformer.Encoder} interface (embed ids, then encode
 * any [B, T, d] vectors, so memory tokens or prefixes can go before a segment) and its
 * {@link dev.strand.nn.transformer.Transformer}, and the models on top: BERT with its MLM head,
 * GPT with the decoding loop, and {@link dev.strand.nn.transformer.SequenceModel} with a pooled
 * head for classification or regression.
 *
 * <p>Uses {@code dev.strand.nn}, its {@code attention}, {@code loss} and {@code generate}
 * packages, autograd and tensor.
 */
package dev.strand.nn.transformer;
