package dev.strand.cli;

import dev.strand.genomics.io.FastaGenome;
import dev.strand.genomics.io.VcfReader;
import dev.strand.genomics.io.VcfVariant;
import dev.strand.genomics.train.FineTunedModel;
import dev.strand.genomics.train.LanguageModelPretraining;
import dev.strand.genomics.train.PretrainedModel;
import dev.strand.genomics.train.SavedModel;
import dev.strand.genomics.variants.HisatSnpTable;
import dev.strand.genomics.variants.ScoreTable;
import dev.strand.genomics.variants.ScoringMethod;
import dev.strand.genomics.variants.VariantScore;
import dev.strand.genomics.variants.VariantScore.Status;
import dev.strand.genomics.variants.VariantScorer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Variant-effect scores into a TSV: zero-shot from a language model (SPECS §7), or the change in a fine-tuned model's prediction. */
@Command(name = "score-variants", mixinStandardHelpOptions = true,
        description = {"Score variants, per allele, into a TSV: zero-shot with a pretrained language model (log-likelihood ratio of ALT over REF), "
                + "or with a fine-tuned model as DNABERT does (its prediction for the ALT window minus that for the REF window)."})
final class ScoreVariantsCommand extends StepCommand<VariantScorer.Result> {
    @Mixin DeviceOption device;

    @Mixin ModelOption model;

    @Mixin AdapterOption adapter;

    static final class Input {
        @Option(names = "--vcf", required = true, description = "Variants (VCF, plain, gzip or bgzip).") Path vcf;
        @Option(names = "--hisat-snps", required = true, description = "Variants as a HISAT2 SNP table (0-based offsets), e.g. 22_20-21M.snp.") Path hisat;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--fasta", required = true, description = "Reference genome the variants are on.")
    Path fasta;

    @Option(names = "--out", required = true, description = "TSV to write (atomically).")
    Path out;

    @Option(names = "--window", defaultValue = "0", description = "Window in bases around each variant; 0 for the longest the model takes, at most 256 (default).")
    int window;

    @Option(names = "--batch", defaultValue = "32", description = "Sequences per forward pass (default ${DEFAULT-VALUE}).")
    int batch;

    @Mixin ControlTagOption tags;

    @Option(names = "--controls", description = "Also score one random substitution at each real SNV position and report the AUROC of real against random.")
    boolean controls;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the control substitutions (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--output", paramLabel = "NAME", description = "With a fine-tuned model: the class whose log-odds change is the score "
            + "(default: the last class, a binary task's positive one), or the target whose change is (default: the first).")
    String output;

    @Override
    VariantScorer.Result execute() throws Exception {
        device.use();
        if (!Files.isRegularFile(fasta)) throw new IllegalArgumentException("no FASTA file at " + fasta);
        Path variantsFile = input.vcf != null ? input.vcf : input.hisat;
        if (!Files.isRegularFile(variantsFile)) throw new IllegalArgumentException("no variant file at " + variantsFile);
        OutputPath.check("--out", out, new Path[] {fasta, variantsFile}, model.path(), adapter.adapter);
        SavedModel saved = adapter.onto(model.saved());
        if (output != null && !(saved instanceof FineTunedModel)) {
            throw new IllegalArgumentException("--output names a fine-tuned model's class or target; " + model.path() + " is a language model");
        }
        VariantScorer scorer = saved instanceof FineTunedModel f ? VariantScorer.open(f, output) : VariantScorer.open((PretrainedModel) saved);
        try (FastaGenome genome = FastaGenome.open(fasta)) {
            List<VcfVariant> variants = input.vcf != null ? VcfReader.readAll(input.vcf) : HisatSnpTable.read(input.hisat, genome);
            VariantScorer.Settings settings = new VariantScorer.Settings(window, batch, tags.tokens(), controls, seed);
            ProgressBar[] bar = {null};
            VariantScorer.Result result = scorer.score(genome, variants, settings, (done, total) -> {
                if (bar[0] == null) bar[0] = new ProgressBar("score-variants", (int) total, "seq/s", System.err);
                bar[0].update((int) done, done, Map.of());
            });
            ScoreTable.write(out, result);
            report(result, variants.size());
            TrainedLength.noteIfBeyond(saved.config(), LanguageModelPretraining.maxTokens(saved.tokenizer(), result.windowBases(), tags.tokens().size()),
                    "its " + result.windowBases() + "-base windows");
            return result;
        }
    }

    private void report(VariantScorer.Result r, int variants) {
        long ok = r.count(Status.OK), skipped = r.count(Status.SKIPPED), mismatch = r.count(Status.REF_MISMATCH);
        long elsewhere = r.count(Status.UNKNOWN_CONTIG) + r.count(Status.PAST_CONTIG_END);
        System.out.printf("%d variants: %d alleles scored with %s over %d-base windows, %d skipped, %d REF mismatches, %d off the genome%n",
                variants, ok, r.method().label, r.windowBases(), skipped, mismatch, elsewhere);
        if (controls) {
            System.out.printf("controls: %d random substitutions at real SNV positions; mean score real %.3f, random %.3f; AUROC real vs random %.3f%n",
                    r.controlsScored(), mean(r, VariantScore.Origin.REAL), mean(r, VariantScore.Origin.CONTROL), r.controlAuroc());
            if (r.method() != ScoringMethod.PREDICTION_CHANGE) {
                System.out.println("  (an AUROC above 0.5 means the model finds the observed variants more likely than random ones, as selection predicts)");
            }
        }
        System.out.printf("scores in %s%n", out);
    }

    /** Mean score of the scored single-base substitutions of one origin. */
    private static double mean(VariantScorer.Result r, VariantScore.Origin origin) {
        return r.scores().stream().filter(s -> s.origin() == origin && s.scored() && s.ref().length() == 1 && s.alt().length() == 1)
                .mapToDouble(VariantScore::score).average().orElse(Double.NaN);
    }
}
