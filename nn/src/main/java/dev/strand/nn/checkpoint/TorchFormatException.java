package dev.strand.nn.checkpoint;

import java.nio.file.Path;

/**
 * A PyTorch checkpoint ({@code pytorch_model.bin}) that Strand will not read: not a zip archive,
 * truncated or corrupt, missing an entry, holding a view its storage cannot back, or a pickle that
 * does more than describe a state dict. The message is one line naming the file and what is wrong.
 */
public final class TorchFormatException extends RuntimeException {
    private final transient Path file;

    public TorchFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public TorchFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file that was being read. */
    public Path file() {
        return file;
    }
}
