/**
 * Labelled tasks built from real annotations: promoter vs non-promoter from upstream-of-TSS records
 * ({@link dev.strand.genomics.tasks.PromoterTask}) and splice sites from gene structures
 * ({@link dev.strand.genomics.tasks.SpliceSiteTask}), each with a train/test split that shares no
 * genomic interval ({@link dev.strand.genomics.tasks.TaskData}).
 */
package dev.strand.genomics.tasks;
