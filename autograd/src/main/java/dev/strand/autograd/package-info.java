/**
 * Define-by-run reverse-mode differentiation over tensors: a {@link dev.strand.autograd.Variable}
 * holds a value, its gradient and how it was made; each operation family (elementwise,
 * reductions, linear algebra, normalisation, attention, shaping, indexing) records its backward
 * beside its forward. {@link dev.strand.autograd.GradMode} turns recording off;
 * {@link dev.strand.autograd.GradCheck} checks gradients against finite differences.
 *
 * <p>Uses only {@code dev.strand.tensor}, through the tensor API; it names no device or backend,
 * so it runs unchanged on any device's tensors. Knows nothing of layers or optimizers (that is
 * {@code dev.strand.nn}).
 */
package dev.strand.autograd;
