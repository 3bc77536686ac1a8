/**
 * Published DNA encoders from Hugging Face model directories: {@link dev.strand.genomics.hub.HubImport}
 * reads a directory's {@code config.json}, tokenizer files and weights ({@code model.safetensors} or
 * the pickled {@code pytorch_model.bin}, read without running any of its code) and writes a Strand
 * run directory that every command accepts. {@link dev.strand.genomics.hub.HubArchitecture} says how
 * each family (DNABERT-2, the Nucleotide Transformer, GENA-LM BERT, BigBird) maps onto Strand's transformer
 * and what its parameters are called.
 *
 * <p>Layering: the top layer, beside {@code variants}, {@code attention} and {@code generate}; may
 * use {@code io}, {@code tokenize} and {@code train} (to write a run directory), not its siblings.
 */
package dev.strand.genomics.hub;
