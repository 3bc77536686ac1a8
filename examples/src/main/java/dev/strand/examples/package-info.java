/**
 * Short training programs that show how Strand is used, each with a {@code main} and compiled and
 * run by the tests: {@link dev.strand.examples.MotifClassifier} trains a small transformer to spot
 * an 8-mer in random DNA.
 *
 * <p>They use only the public API of {@code dev.strand.nn}, {@code dev.strand.autograd} and
 * {@code dev.strand.tensor}, as a user's program would; nothing depends on them.
 */
package dev.strand.examples;
