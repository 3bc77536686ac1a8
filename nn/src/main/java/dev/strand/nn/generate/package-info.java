/**
 * Choosing the next token from logits: greedy, temperature, top-k and top-p sampling from a seeded
 * generator. The decoding loop that calls it is {@code GptModel.decode}. Uses tensor only.
 */
package dev.strand.nn.generate;
