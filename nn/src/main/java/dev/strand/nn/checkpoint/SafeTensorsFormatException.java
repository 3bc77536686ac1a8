package dev.strand.nn.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A safetensors file that breaks the format: the message names the file and, where one is to
 * blame, the tensor.
 */
public final class SafeTensorsFormatException extends IOException {
    private final transient Path file;

    public SafeTensorsFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public SafeTensorsFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file that was being read. */
    public Path file() {
        return file;
    }
}
