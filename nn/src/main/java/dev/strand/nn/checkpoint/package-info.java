/**
 * Checkpoint file I/O: {@link dev.strand.nn.checkpoint.SafeTensors} reads and writes the
 * safetensors format (the one Hugging Face and PyTorch use), so Strand checkpoints open in
 * Python and Python checkpoints open in Strand; {@link dev.strand.nn.checkpoint.Checkpoint} saves
 * and restores a run (weights, config, optimizer state, generators) atomically, so it resumes
 * exactly. Uses {@code dev.strand.nn} (Module), {@code optim}, tensor and Jackson.
 */
package dev.strand.nn.checkpoint;
