/**
 * Brings DNA to {@code dev.strand.nn}: file formats, tokenizers, datasets, tasks, training,
 * metrics, baselines, variant scoring, attention analysis and generation.
 *
 * <p>Its packages form layers; a package uses only packages of lower layers, never one of its own
 * layer or above, so no two packages depend on each other (checked by {@code PackageLayersTest}):
 * <ol>
 *   <li>{@link dev.strand.genomics.io} (file formats, bases) and {@link dev.strand.genomics.ml}
 *       (general machine learning): no other genomics package;</li>
 *   <li>{@link dev.strand.genomics.tokenize} and {@link dev.strand.genomics.metrics};</li>
 *   <li>{@link dev.strand.genomics.data} (masking, windows, labelled datasets, batches);</li>
 *   <li>{@link dev.strand.genomics.tasks} (labelled tasks from annotations, their splits);</li>
 *   <li>{@link dev.strand.genomics.baseline} and {@link dev.strand.genomics.train};</li>
 *   <li>{@link dev.strand.genomics.variants}, {@link dev.strand.genomics.attention} and
 *       {@link dev.strand.genomics.generate}.</li>
 * </ol>
 */
package dev.strand.genomics;
