package dev.strand.genomics.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocationsTest {
    @Test
    void urisOfOtherFileSystemsAreTellableFromLocalPaths(@TempDir Path dir) throws Exception {
        assertTrue(Locations.isUri("hdfs://namenode:8020/genomes/dmel.fa"));
        assertTrue(Locations.isUri("s3a://bucket/train.csv"));
        assertTrue(Locations.isUri(dir.resolve("g.fa").toUri().toString()));
        assertFalse(Locations.isUri(dir.resolve("g.fa").toString()));
        assertFalse(Locations.isUri("relative/g.fa"));
        Path colon = Files.writeString(dir.resolve("x:y.fa"), ">a\nACGT\n");
        assertFalse(Locations.isUri(colon.toString()), "an existing local file with a colon in its name stays a path");
    }
}
