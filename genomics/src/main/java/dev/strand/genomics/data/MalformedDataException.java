package dev.strand.genomics.data;

import java.io.IOException;

/** A data file that cannot be read as expected; the message starts with {@code file:line:}. */
public final class MalformedDataException extends IOException {
    private final String file;
    private final int line;

    public MalformedDataException(String file, int line, String message) {
        super(file + ":" + line + ": " + message);
        this.file = file;
        this.line = line;
    }

    /** The file, as given. */
    public String file() {
        return file;
    }

    /** The 1-based line number. */
    public int line() {
        return line;
    }
}
