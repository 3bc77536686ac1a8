package dev.strand.genomics.io;

/**
 * Bad input in a genomics file: the message names the file, the line (or record) and what was
 * expected, e.g. {@code "genome.fa, line 12: unexpected character '#' (expected IUPAC nucleotide
 * codes ...)"}.
 */
public class GenomicsFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final long line;

    /**
     * @param source the file (or other source) that holds the bad input
     * @param line 1-based line number, or 0 (or negative) when no line applies
     * @param message what is wrong and what was expected
     */
    public GenomicsFormatException(String source, long line, String message) {
        this(source, line, message, null);
    }

    public GenomicsFormatException(String source, long line, String message, Throwable cause) {
        super(location(source, line) + ": " + message, cause);
        this.source = source;
        this.line = line;
    }

    /** The file or source named in the message. */
    public String source() {
        return source;
    }

    /** The 1-based line the problem is on, or 0 when the problem is not tied to one line. */
    public long line() {
        return Math.max(0, line);
    }

    private static String location(String source, long line) {
        return line > 0 ? source + ", line " + line : source;
    }
}
