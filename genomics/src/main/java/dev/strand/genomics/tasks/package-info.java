/**
 * Labelled tasks built from real annotations: promoter vs non-promoter from upstream-of-TSS records
 * ({@link dev.strand.genomics.tasks.PromoterTask}, 300-bp and 2-kb windows) and splice sites from gene
 * structures ({@link dev.strand.genomics.tasks.SpliceSiteTask}), each with a train/test (or
 * train/dev/test) split that shares no genomic interval ({@link dev.strand.genomics.tasks.TaskData}),
 * found in the files Debian ships
 * ({@link dev.strand.genomics.tasks.DebianData}); and a task's train/dev/test sets as fine-tuning and
 * the baselines take them ({@link dev.strand.genomics.tasks.FineTuningData}).
 *
 * <p>Layering: may use {@code io}, {@code ml}, {@code tokenize}, {@code metrics} and {@code data};
 * {@code baseline}, {@code train} and the packages above them build on it.
 */
package dev.strand.genomics.tasks;
