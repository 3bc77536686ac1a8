/**
 * Checkpoint file I/O: {@link dev.strand.nn.checkpoint.SafeTensors} reads and writes the
 * safetensors format (the one Hugging Face and PyTorch use), so Strand checkpoints open in
 * Python and Python checkpoints open in Strand.
 */
package dev.strand.nn.checkpoint;
