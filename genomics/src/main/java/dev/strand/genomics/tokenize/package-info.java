/**
 * DNA tokenizers as the reference DNA language models define them: one token per base ({@link
 * dev.strand.genomics.tokenize.NucleotideTokenizer}), DNABERT's overlapping k-mers ({@link
 * dev.strand.genomics.tokenize.KmerTokenizer}), the Nucleotide Transformer's non-overlapping 6-mers
 * ({@link dev.strand.genomics.tokenize.NonOverlappingTokenizer}) and byte-pair encoding ({@link
 * dev.strand.genomics.tokenize.BpeTokenizer}, learnt by {@link dev.strand.genomics.tokenize.BpeTrainer});
 * each with control tags, saved as JSON and read back by {@link dev.strand.genomics.tokenize.Tokenizers}.
 * {@link dev.strand.genomics.tokenize.HuggingFaceTokenizers} reads a Hugging Face model directory's
 * tokenizer (tokenizer.json BPE, or an NT vocab.txt) into {@link dev.strand.genomics.tokenize.HfBpeTokenizer}
 * or {@link dev.strand.genomics.tokenize.HfKmerTokenizer}, which give the original's ids.
 *
 * <p>Layering: above {@code io} and {@code ml}, beside {@code metrics}; may use {@code io} (for
 * {@link dev.strand.genomics.io.Bases}) and {@code ml}, and knows nothing of datasets, tasks or models.
 */
package dev.strand.genomics.tokenize;
