package dev.strand.genomics.data;

import dev.strand.genomics.io.Genome;
import dev.strand.tensor.Generator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** TEST DOUBLE — not the real genome reader: contigs held as strings in memory. */
public final class TestDoubleInMemoryGenome implements Genome {
    private final Map<String, String> contigs = new LinkedHashMap<>();
    private final String source;

    public TestDoubleInMemoryGenome(String source) {
        this.source = source;
    }

    public TestDoubleInMemoryGenome add(String name, String bases) {
        contigs.put(name, bases);
        return this;
    }

    /** Uniform random A/C/G/T of the given length. */
    public static String randomDna(int length, Generator gen) {
        char[] c = new char[length];
        long base = gen.advance(length);
        for (int i = 0; i < length; i++) c[i] = "ACGT".charAt((int) (Generator.mix(gen.seed(), base + i) & 3));
        return new String(c);
    }

    @Override
    public List<String> contigs() {
        return new ArrayList<>(contigs.keySet());
    }

    @Override
    public int length(String contig) {
        String s = contigs.get(contig);
        if (s == null) throw new IllegalArgumentException("no contig " + contig + " in " + source);
        return s.length();
    }

    @Override
    public String fetch(String contig, int start, int end) {
        int len = length(contig);
        if (start < 0 || end > len || start > end) {
            throw new IllegalArgumentException(contig + ":" + start + "-" + end + " is outside " + contig + " (length " + len + ") in " + source);
        }
        return contigs.get(contig).substring(start, end);
    }

    @Override
    public String source() {
        return source;
    }
}
