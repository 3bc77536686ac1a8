package dev.strand.genomics.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebianDataTest {
    @Test
    void missingFilesNameThePackageAndTheInstallCommand(@TempDir Path dir) {
        DebianData d = new DebianData(dir.resolve("root"), dir.resolve("extract"));
        IllegalArgumentException apt = assertThrows(IllegalArgumentException.class, () -> d.locate(DebianData.CHR2R));
        assertTrue(apt.getMessage().contains("chr2R.fa from Debian package augustus-doc")
                && apt.getMessage().contains("apt-get install augustus-doc"), apt.getMessage());
        IllegalArgumentException deb = assertThrows(IllegalArgumentException.class, () -> d.locate(DebianData.DM3_UPSTREAM));
        assertTrue(deb.getMessage().contains("r-bioc-biostrings") && deb.getMessage().contains("dpkg-deb -x r-bioc-biostrings_*.deb " + dir.resolve("extract"))
                && deb.getMessage().contains(DebianData.ENV), deb.getMessage());
        assertFalse(d.has(DebianData.HUMAN_CHR22_SNPS));
    }

    @Test
    void findsInstalledExtractedAndGzippedFiles(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("root"), extract = dir.resolve("extract");
        DebianData d = new DebianData(root, extract);
        Path chr2r = touch(root.resolve("usr/share/doc/augustus/tutorial/data/chr2R.fa"));
        Path upstream = touch(extract.resolve("usr/lib/R/site-library/Biostrings/extdata/dm3_upstream2000.fa.gz"));
        Path gzipped = touch(root.resolve("usr/share/doc/hisat2/examples/reference/22_20-21M.snp.gz"));
        assertEquals(chr2r, d.locate(DebianData.CHR2R));
        assertEquals(upstream, d.locate(DebianData.DM3_UPSTREAM), "r-bioc packages are found where the .deb was extracted");
        assertEquals(gzipped, d.locate(DebianData.HUMAN_CHR22_SNPS), "Debian may gzip documentation files");
        assertEquals(root.resolve("usr/lib/R/site-library/Biostrings/extdata/dm3_upstream2000.fa.gz"), d.candidates(DebianData.DM3_UPSTREAM).get(2));
    }

    private static Path touch(Path p) throws Exception {
        Files.createDirectories(p.getParent());
        return Files.writeString(p, ">x\nACGT\n");
    }
}
