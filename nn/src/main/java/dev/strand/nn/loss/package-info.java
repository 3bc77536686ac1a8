/** Loss functions (cross-entropy with an ignore label, MSE) as PyTorch defines them. Uses autograd and tensor only. */
package dev.strand.nn.loss;
