/**
 * General machine learning with no DNA in it, for baselines and probes: {@link
 * dev.strand.genomics.ml.Lbfgs} (limited-memory BFGS), {@link dev.strand.genomics.ml.LogisticRegression}
 * (multinomial, L2-penalised, fitted by L-BFGS) and {@link dev.strand.genomics.ml.Standardiser}
 * (per-feature z-scores). Plain arrays in and out: rows are row-major {@code float[n * features]};
 * every fit is deterministic.
 *
 * <p>Layering: uses no other genomics package (the JDK only), so every genomics package may use it.
 */
package dev.strand.genomics.ml;
