package dev.strand.spark;

import dev.strand.genomics.io.FaiIndex;
import dev.strand.genomics.io.Genome;
import dev.strand.genomics.io.GenomeSource;
import dev.strand.genomics.io.IndexedFasta;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A plain FASTA on any file system Hadoop reads ({@code hdfs://}, {@code s3a://}, {@code file:}),
 * opened where it is used: random access through its samtools {@code .fai} index, so a replica
 * reads only the bases of the windows it draws. A missing index is built by reading the file once
 * and written beside it (temp name, then rename) for the next process; where that cannot be
 * written it is kept in memory. Hadoop's configuration comes from the class path and {@code
 * HADOOP_CONF_DIR}, as for any Spark job.
 *
 * @param location the file's URI or path, as Hadoop resolves it
 */
record HadoopFasta(String location) implements GenomeSource {
    @Override
    public Genome open() {
        String lower = location.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".gz") || lower.endsWith(".bgz") || lower.endsWith(".bgzf")) {
            throw new IllegalArgumentException(location + ": a compressed FASTA cannot be read at random offsets through Hadoop; "
                    + "store it uncompressed (with samtools faidx's .fai beside it), or give a local path");
        }
        try {
            Path file = new Path(location);
            FileSystem fs = file.getFileSystem(new Configuration());
            if (!fs.isFile(file)) throw new IllegalArgumentException("no FASTA file at " + location);
            FaiIndex index = index(fs, file);
            index.checkFits(fs.getFileStatus(file).getLen(), location, location + ".fai");
            FSDataInputStream in = fs.open(file);
            return new IndexedFasta(index, new IndexedFasta.ByteRanges() {
                @Override
                public void read(long position, byte[] into) throws IOException {
                    in.readFully(position, into);
                }

                @Override
                public void close() throws IOException {
                    in.close();
                }
            }, location);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + location + ": " + e.getMessage(), e);
        }
    }

    private FaiIndex index(FileSystem fs, Path file) throws IOException {
        Path fai = new Path(location + ".fai");
        if (fs.exists(fai)) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(fai), StandardCharsets.UTF_8))) {
                return FaiIndex.parse(r.lines().toList(), fai.toString());
            }
        }
        FaiIndex built;
        try (FSDataInputStream in = fs.open(file)) {
            built = FaiIndex.build(in, location);
        }
        Path temp = new Path(location + ".fai." + UUID.randomUUID() + ".tmp");
        try {
            try (OutputStream out = fs.create(temp, false)) {
                out.write(built.format().getBytes(StandardCharsets.UTF_8));
            }
            if (!fs.rename(temp, fai)) fs.delete(temp, false);    // another process wrote it first: theirs is the same
        } catch (IOException | RuntimeException e) {
            // A read-only location: the index stays in memory.
        }
        return built;
    }
}
