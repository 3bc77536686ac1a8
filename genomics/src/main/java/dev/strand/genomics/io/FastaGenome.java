package dev.strand.genomics.io;

import htsjdk.samtools.SAMException;
import htsjdk.samtools.reference.BlockCompressedIndexedFastaSequenceFile;
import htsjdk.samtools.reference.FastaSequenceIndex;
import htsjdk.samtools.reference.IndexedFastaSequenceFile;
import htsjdk.samtools.reference.ReferenceSequenceFile;
import htsjdk.samtools.util.GZIIndex;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link Genome} read from a FASTA file, with random access.
 *
 * <ul>
 *   <li><b>Plain FASTA</b>: indexed access through htsjdk's {@link IndexedFastaSequenceFile} with a
 *       samtools {@code .fai} index. An existing {@code <file>.fai} is used (after a size check
 *       against the file); a missing one is built ({@link FaiIndex#build}, which also validates the
 *       whole file) and written next to the FASTA, or, when that directory is not writable, into a
 *       cache directory ({@value #CACHE_PROPERTY} system property, else {@code
 *       java.io.tmpdir/strand-index-cache}), keyed by the file's location, size and modification
 *       time; when neither can be written the index is kept in memory.</li>
 *   <li><b>bgzip FASTA</b> (BGZF): the same, through htsjdk's {@link
 *       BlockCompressedIndexedFastaSequenceFile}, with a {@code .gzi} block index as well (built
 *       with htsjdk's {@link GZIIndex} when missing, stored like the {@code .fai}). A file with a
 *       damaged last block or no BGZF end-of-file marker is rejected as truncated.</li>
 *   <li><b>Plain gzip FASTA</b> (not bgzip) cannot be read at random offsets, so every record is
 *       <b>loaded into memory</b> at open (about one byte per base: 63 MB for a 63 Mb chromosome).
 *       Recompress with {@code bgzip} for indexed access to large genomes.</li>
 * </ul>
 *
 * Bases come back as stored (lowercase soft-masking kept). Fetched bases are checked against the
 * IUPAC alphabet, which also catches an index that does not match its file. Fetches are
 * synchronized; one instance may be shared between threads. {@link #containsNonAcgt} answers
 * whether a window holds N or another IUPAC ambiguity code, from a per-contig table of non-ACGT
 * runs built on first use.
 */
public final class FastaGenome implements Genome {
    /** System property naming the directory for indexes that cannot be written next to the FASTA. */
    public static final String CACHE_PROPERTY = "strand.index.cache";

    private static final int SCAN_CHUNK = 1 << 20;

    private final String source;
    private final Compression compression;
    private final List<String> contigs;
    private final Map<String, Integer> lengths;
    private final Backend backend;
    private final Path indexPath;
    private final Map<String, Runs> nonAcgt = new ConcurrentHashMap<>();

    private FastaGenome(String source, Compression compression, Map<String, Integer> lengths, Backend backend,
                        Path indexPath) {
        this.source = source;
        this.compression = compression;
        this.lengths = lengths;
        this.contigs = List.copyOf(lengths.keySet());
        this.backend = backend;
        this.indexPath = indexPath;
    }

    /** Opens a FASTA file (plain, gzip or bgzip) with the default index cache directory. */
    public static FastaGenome open(Path fasta) {
        return open(fasta, defaultCacheDir());
    }

    /**
     * Opens a FASTA file (plain, gzip or bgzip); indexes that cannot be written next to it go to
     * {@code cacheDir}.
     */
    public static FastaGenome open(Path fasta, Path cacheDir) {
        if (!Files.isRegularFile(fasta)) {
            throw new UncheckedIOException(new java.io.FileNotFoundException("no such FASTA file: " + fasta));
        }
        Compression c = Compression.detect(fasta);
        if (c == Compression.GZIP) return loadIntoMemory(fasta);
        if (c == Compression.BGZF) Compression.checkBgzfTermination(fasta);
        String source = fasta.toString();
        Located<FaiIndex> fai = faiFor(fasta, cacheDir);
        Map<String, Integer> lengths = new LinkedHashMap<>();
        for (FaiIndex.Entry e : fai.value.entries()) lengths.put(e.name(), (int) e.length());
        if (c == Compression.PLAIN) checkAgainstSize(fasta, fai);
        ReferenceSequenceFile file;
        try {
            // htsjdk parses the index too: a contig name it cannot read back (a control character) fails here.
            FastaSequenceIndex htsIndex = new FastaSequenceIndex(
                    new ByteArrayInputStream(fai.value.format().getBytes(StandardCharsets.UTF_8)));
            if (c == Compression.PLAIN) {
                file = new IndexedFastaSequenceFile(fasta, htsIndex);
            } else {
                file = new BlockCompressedIndexedFastaSequenceFile(fasta, htsIndex, gziFor(fasta, cacheDir));
            }
        } catch (SAMException e) {
            throw new GenomicsFormatException(source, 0, "cannot open for indexed access: " + e.getMessage(), e);
        }
        return new FastaGenome(source, c, lengths, new IndexedBackend(file, source, fai.path), fai.path);
    }

    /** A genome held in memory, from records (names must be unique). */
    public static FastaGenome fromRecords(String source, List<FastaRecord> records) {
        Map<String, Integer> lengths = new LinkedHashMap<>();
        Map<String, String> seqs = new LinkedHashMap<>();
        for (FastaRecord r : records) {
            if (seqs.putIfAbsent(r.name(), r.sequence()) != null) {
                throw new GenomicsFormatException(source, 0, "duplicate record name '" + r.name()
                        + "': a genome needs unique contig names");
            }
            lengths.put(r.name(), r.length());
        }
        if (seqs.isEmpty()) throw new GenomicsFormatException(source, 0, "no records: expected at least one contig");
        return new FastaGenome(source, Compression.PLAIN, lengths, new MemoryBackend(seqs), null);
    }

    private static FastaGenome loadIntoMemory(Path fasta) {
        FastaGenome g = fromRecords(fasta.toString(), FastaReader.readAll(fasta));
        return new FastaGenome(g.source, Compression.GZIP, g.lengths, g.backend, null);
    }

    /** The default directory for indexes that cannot be written beside their FASTA. */
    public static Path defaultCacheDir() {
        String p = System.getProperty(CACHE_PROPERTY);
        if (p != null && !p.isBlank()) return Path.of(p);
        return Path.of(System.getProperty("java.io.tmpdir"), "strand-index-cache");
    }

    @Override
    public List<String> contigs() {
        return contigs;
    }

    @Override
    public int length(String contig) {
        Integer n = lengths.get(contig);
        if (n == null) {
            List<String> some = contigs.subList(0, Math.min(5, contigs.size()));
            throw new IllegalArgumentException("unknown contig '" + contig + "' in " + source + " (contigs: "
                    + String.join(", ", some) + (contigs.size() > some.size() ? ", … " + contigs.size() + " in all" : "")
                    + ")");
        }
        return n;
    }

    @Override
    public String fetch(String contig, int start, int end) {
        checkRange(contig, start, end);
        if (start == end) return "";
        return backend.fetch(contig, start, end);
    }

    private void checkRange(String contig, int start, int end) {
        int len = length(contig);
        if (start < 0 || end > len || start > end) {
            throw new IllegalArgumentException("region " + contig + ":[" + start + ", " + end
                    + ") is out of range for contig '" + contig + "' of length " + len + " in " + source
                    + " (expected 0 <= start <= end <= " + len + ", 0-based half-open)");
        }
    }

    @Override
    public String source() {
        return source;
    }

    /** How the file is compressed (GZIP means it was loaded into memory). */
    public Compression compression() {
        return compression;
    }

    /** Whether bases are read from the file on demand (plain or bgzip) rather than held in memory. */
    public boolean isIndexed() {
        return backend instanceof IndexedBackend;
    }

    /** Where the {@code .fai} used lies (beside the FASTA or in the cache), or null when none is on disk. */
    public Path indexPath() {
        return indexPath;
    }

    /**
     * Whether [start, end) of a contig holds any base other than A/C/G/T (either case): N or
     * another IUPAC code. The first call for a contig scans it once (in 1 Mb pieces); later calls
     * are a binary search.
     */
    public boolean containsNonAcgt(String contig, int start, int end) {
        checkRange(contig, start, end);
        if (start == end) return false;
        return nonAcgt.computeIfAbsent(contig, this::scan).overlaps(start, end);
    }

    private Runs scan(String contig) {
        int len = length(contig);
        int[] starts = new int[16];
        int[] ends = new int[16];
        int n = 0;
        int runStart = -1;
        for (int from = 0; from < len; from += SCAN_CHUNK) {
            int to = Math.min(len, from + SCAN_CHUNK);
            String s = backend.fetch(contig, from, to);
            for (int i = 0; i < s.length(); i++) {
                boolean bad = !Bases.isAcgt(s.charAt(i));
                if (bad && runStart < 0) {
                    runStart = from + i;
                } else if (!bad && runStart >= 0) {
                    if (n == starts.length) {
                        starts = Arrays.copyOf(starts, n * 2);
                        ends = Arrays.copyOf(ends, n * 2);
                    }
                    starts[n] = runStart;
                    ends[n++] = from + i;
                    runStart = -1;
                }
            }
        }
        if (runStart >= 0) {
            if (n == starts.length) {
                starts = Arrays.copyOf(starts, n + 1);
                ends = Arrays.copyOf(ends, n + 1);
            }
            starts[n] = runStart;
            ends[n++] = len;
        }
        return new Runs(Arrays.copyOf(starts, n), Arrays.copyOf(ends, n));
    }

    /** Sorted, disjoint runs [starts[i], ends[i]) of non-ACGT bases. */
    private record Runs(int[] starts, int[] ends) {
        boolean overlaps(int start, int end) {
            // first run whose end is past start
            int lo = 0;
            int hi = ends.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (ends[mid] <= start) lo = mid + 1;
                else hi = mid;
            }
            return lo < starts.length && starts[lo] < end;
        }
    }

    @Override
    public void close() {
        backend.close();
    }

    @Override
    public String toString() {
        return "FastaGenome[" + source + ", " + contigs.size() + " contigs, " + compression
                + (isIndexed() ? ", indexed" : ", in memory") + "]";
    }

    // ---------------------------------------------------------------------------------------------
    // Backends

    private interface Backend {
        String fetch(String contig, int start, int end);

        void close();
    }

    private record MemoryBackend(Map<String, String> seqs) implements Backend {
        @Override
        public String fetch(String contig, int start, int end) {
            return seqs.get(contig).substring(start, end);
        }

        @Override
        public void close() {}
    }

    private static final class IndexedBackend implements Backend {
        private final ReferenceSequenceFile file;
        private final String source;
        private final Path index;

        IndexedBackend(ReferenceSequenceFile file, String source, Path index) {
            this.file = file;
            this.source = source;
            this.index = index;
        }

        @Override
        public synchronized String fetch(String contig, int start, int end) {
            byte[] b;
            try {
                b = file.getSubsequenceAt(contig, start + 1L, end).getBases();
            } catch (SAMException e) {
                throw new GenomicsFormatException(source, 0, "cannot read " + contig + ":[" + start + ", " + end
                        + "): " + e.getMessage(), e);
            }
            for (int i = 0; i < b.length; i++) {
                int c = b[i] & 0xff;
                if (!Bases.isIupac(c)) {
                    throw new GenomicsFormatException(source, 0, "record '" + contig + "', position " + (start + i)
                            + " (0-based): unexpected character " + Bases.describe(c) + " (" + Bases.expectedAlphabet()
                            + "); either the file holds it or its index "
                            + (index == null ? "" : index + " ") + "does not match the file (delete the index to rebuild it)");
                }
            }
            return new String(b, StandardCharsets.ISO_8859_1);
        }

        @Override
        public synchronized void close() {
            try {
                file.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Index files

    private record Located<T>(T value, Path path) {}

    private static Located<FaiIndex> faiFor(Path fasta, Path cacheDir) {
        Path beside = fasta.resolveSibling(fasta.getFileName() + ".fai");
        if (Files.exists(beside)) return new Located<>(FaiIndex.read(beside), beside);
        Path cached = cacheDir == null ? null : cacheDir.resolve(cacheKey(fasta) + ".fai");
        if (cached != null && Files.exists(cached)) {
            try {
                return new Located<>(FaiIndex.read(cached), cached);
            } catch (RuntimeException e) {
                // a damaged cache entry is rebuilt below
            }
        }
        FaiIndex built = FaiIndex.build(fasta);
        Path at = writeFirst(built.format().getBytes(StandardCharsets.UTF_8), beside, cached);
        return new Located<>(built, at);
    }

    private static GZIIndex gziFor(Path fasta, Path cacheDir) {
        Path beside = fasta.resolveSibling(fasta.getFileName() + ".gzi");
        Path cached = cacheDir == null ? null : cacheDir.resolve(cacheKey(fasta) + ".gzi");
        try {
            if (Files.exists(beside)) return GZIIndex.loadIndex(beside);
            if (cached != null && Files.exists(cached)) {
                try {
                    return GZIIndex.loadIndex(cached);
                } catch (IOException | RuntimeException e) {
                    // rebuilt below
                }
            }
            GZIIndex built = GZIIndex.buildIndex(fasta);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            built.writeIndex(bytes);
            writeFirst(bytes.toByteArray(), beside, cached);
            return built;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or build the .gzi index of " + fasta + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code bytes} to the first of the paths that can be written (atomically); null if none. */
    private static Path writeFirst(byte[] bytes, Path... candidates) {
        for (Path p : candidates) {
            if (p == null) continue;
            try {
                Path dir = p.toAbsolutePath().getParent();
                Files.createDirectories(dir);
                Path tmp = Files.createTempFile(dir, "." + p.getFileName(), ".tmp");
                try {
                    Files.write(tmp, bytes);
                    Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tmp);
                }
                return p;
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                // not writable here (read-only directory or file system): try the next place
            }
        }
        return null;
    }

    /** A cache file name unique to the file's location, size and modification time. */
    static String cacheKey(Path fasta) {
        try {
            String id = fasta.toAbsolutePath().normalize().toUri() + "\u0000" + Files.size(fasta) + "\u0000"
                    + Files.getLastModifiedTime(fasta).toMillis();
            byte[] h = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            String name = fasta.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
            if (name.length() > 100) name = name.substring(0, 100);
            return HexFormat.of().formatHex(h, 0, 10) + "-" + name;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rejects a plain-file index whose records would lie beyond the end of the file. */
    private static void checkAgainstSize(Path fasta, Located<FaiIndex> fai) {
        try {
            fai.value.checkFits(Files.size(fasta), fasta.toString(), String.valueOf(fai.path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
