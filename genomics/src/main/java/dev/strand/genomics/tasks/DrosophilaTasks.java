package dev.strand.genomics.tasks;

import dev.strand.genomics.io.AugustusGenes;
import dev.strand.genomics.io.FastaReader;
import dev.strand.genomics.io.FastaRecord;
import dev.strand.genomics.io.Genome;
import java.nio.file.Path;
import java.util.List;

/**
 * The D. melanogaster tasks of the data guide built from the files Debian ships: promoters from
 * {@code dm3_upstream2000.fa.gz} (r-bioc-biostrings) against {@code chr2R.fa} (augustus-doc), and
 * splice sites from AUGUSTUS's {@code genes.gb.train} / {@code genes.gb.test}, whose coordinates
 * count from base 2,000,001 of chr2R.
 */
public final class DrosophilaTasks {
    private DrosophilaTasks() {}

    /** The upstream records; their {@link FastaRecord#header()}s carry the coordinates. */
    public static List<FastaRecord> upstreamRecords(Path fasta) {
        return FastaReader.readAll(fasta);
    }

    /** Promoter vs background windows (see {@link PromoterTask}). */
    public static TaskData promoters(Genome chr2r, Path upstreamFasta, PromoterTask.Config config) {
        return PromoterTask.build(chr2r, upstreamRecords(upstreamFasta), config);
    }

    /** AUGUSTUS training genes as exon structures on their contig. */
    public static List<GeneStructure> geneStructures(List<AugustusGenes.Gene> genes) {
        return genes.stream().map(g -> new GeneStructure(g.locus(), g.contig(), g.strand(),
                g.exons().stream().map(e -> new GeneStructure.Exon(e.start(), e.end())).toList())).toList();
    }

    /** Donor/acceptor windows with AUGUSTUS's own train/test split of genes (see {@link SpliceSiteTask}). */
    public static TaskData spliceSites(Genome chr2r, Path trainGenes, Path testGenes, SpliceSiteTask.Config config) {
        List<GeneStructure> train = geneStructures(AugustusGenes.read(trainGenes, AugustusGenes.TUTORIAL_CHR2R_OFFSET));
        List<GeneStructure> test = geneStructures(AugustusGenes.read(testGenes, AugustusGenes.TUTORIAL_CHR2R_OFFSET));
        return SpliceSiteTask.build(chr2r, train, test, config);
    }
}
