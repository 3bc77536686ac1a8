/**
 * Checkpoint file I/O: {@link dev.strand.nn.checkpoint.SafeTensors} reads and writes the
 * safetensors format (the one Hugging Face and PyTorch use), so Strand checkpoints open in
 * Python and Python checkpoints open in Strand; {@link dev.strand.nn.checkpoint.TorchStateDict}
 * reads the {@code pytorch_model.bin} state dicts the field's published models ship, through a
 * pickle reader that knows only a state dict's globals and runs nothing;
 * {@link dev.strand.nn.checkpoint.Checkpoint} saves and restores a run (weights, config, optimizer state, generators) atomically, so it resumes
 * exactly. Uses {@code dev.strand.nn} (Module), {@code optim}, tensor and Jackson.
 */
package dev.strand.nn.checkpoint;
