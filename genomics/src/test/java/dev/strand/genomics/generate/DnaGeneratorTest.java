package dev.strand.genomics.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.genomics.RandomDna;
import dev.strand.genomics.data.PretrainingWindows;
import dev.strand.genomics.io.FastaGenome;
import dev.strand.genomics.io.FastaRecord;
import dev.strand.genomics.tokenize.KmerTokenizer;
import dev.strand.genomics.tokenize.NonOverlappingTokenizer;
import dev.strand.genomics.tokenize.NucleotideTokenizer;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.genomics.train.LanguageModelPretraining;
import dev.strand.genomics.train.PretrainedModel.Objective;
import dev.strand.nn.generate.Sampler;
import dev.strand.nn.transformer.GptModel;
import dev.strand.nn.transformer.Positions;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Generator;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tag-conditioned sampling: a tiny model trained on two tagged sources writes each source's DNA; seeds; token constraints. */
class DnaGeneratorTest {
    private static final Sampler SAMPLE = new Sampler(1f, 0, 1f);

    private static DnaGenerator.Settings settings(List<String> tags, String prompt, int length, int count, long seed) {
        return new DnaGenerator.Settings(tags, prompt, length, count, SAMPLE, seed);
    }

    private static double fraction(List<DnaGenerator.Sample> samples, String letters) {
        long hit = 0, all = 0;
        for (DnaGenerator.Sample s : samples) {
            for (char c : s.sequence().toCharArray()) {
                if (letters.indexOf(c) >= 0) hit++;
                all++;
            }
        }
        return (double) hit / all;
    }

    @Test
    void aModelTrainedOnTwoTaggedSourcesWritesEachSourcesDnaForItsTag(@TempDir Path dir) throws Exception {
        // Source "at" is random A/T, source "cg" random C/G: only the tag says which alphabet the first base comes from.
        List<String> tags = List.of("<src=at>", "<src=cg>");
        Tokenizer tok = new NucleotideTokenizer(tags);
        FastaGenome at = FastaGenome.fromRecords("at", List.of(new FastaRecord("at", "", RandomDna.random(3000, "AT", new Random(1)))));
        FastaGenome cg = FastaGenome.fromRecords("cg", List.of(new FastaRecord("cg", "", RandomDna.random(3000, "CG", new Random(2)))));
        PretrainingWindows windows = new PretrainingWindows(List.of(at, cg), 16, PretrainingWindows.HeldOut.lastFraction(0.1),
                PretrainingWindows.NPolicy.SKIP_ANY);
        TransformerConfig config = LanguageModelPretraining.config(tok, 16, 1, 32, 1, 2, Positions.ROPE, 0f);
        LanguageModelPretraining training = new LanguageModelPretraining(config, tok, windows, List.of(List.of(tags.get(0)), List.of(tags.get(1))),
                new LanguageModelPretraining.Settings(Objective.CAUSAL, 150, 16, 1e-2f, 10, LanguageModelPretraining.OptimizerKind.ADAMW,
                        LanguageModelPretraining.ScheduleKind.COSINE, 0, 0, 8, 3));
        training.run(dir, new LanguageModelPretraining.Listener() {});
        DnaGenerator generator = new DnaGenerator((GptModel) training.model(), tok);

        List<DnaGenerator.Sample> atSamples = generator.generate(settings(List.of("<src=at>"), "", 30, 8, 1), null);
        List<DnaGenerator.Sample> cgSamples = generator.generate(settings(List.of("<src=cg>"), "", 30, 8, 1), null);
        assertTrue(fraction(atSamples, "AT") > 0.95, atSamples.toString());
        assertTrue(fraction(cgSamples, "CG") > 0.95, cgSamples.toString());
        assertEquals(8, atSamples.size());
        assertTrue(atSamples.stream().allMatch(s -> s.sequence().length() == 30));
    }

    private static GptModel tiny(Tokenizer tok, Positions positions, int maxLength) {
        return new GptModel(new TransformerConfig(tok.vocabSize(), 16, 1, 2, 32, maxLength, 0f, true, positions, 1e-5f), new Generator(4));
    }

    @Test
    void theSameSeedGivesTheSameSamplesAndAnotherSeedOthers() {
        Tokenizer tok = new NucleotideTokenizer(List.of("<x=1>"));
        DnaGenerator g = new DnaGenerator(tiny(tok, Positions.ROPE, 8), tok);
        List<DnaGenerator.Sample> a = g.generate(settings(List.of("<x=1>"), "acg", 70, 3, 9), null);
        assertEquals(a, g.generate(settings(List.of("<x=1>"), "ACG", 70, 3, 9), null));
        assertNotEquals(a, g.generate(settings(List.of("<x=1>"), "ACG", 70, 3, 10), null));
        assertTrue(a.stream().allMatch(s -> s.sequence().startsWith("ACG") && s.sequence().length() == 73 && s.sequence().matches("[ACGT]+")));

        String fasta = DnaGenerator.fasta(a, settings(List.of("<x=1>"), "ACG", 70, 3, 9), "runs/x");
        assertTrue(fasta.startsWith(">sample-1 tags=<x=1> prompt=ACG length=70 temperature=1.0 top_k=0 top_p=1.0 seed=9 model=runs/x\n"), fasta);
        assertEquals(List.of(60, 13), fasta.lines().skip(1).limit(2).map(String::length).toList(), "73 bases in lines of 60");
        assertEquals(3, fasta.lines().filter(l -> l.startsWith(">sample-")).count());
    }

    @Test
    void kmerSamplesOverlapAndNt6SamplesHaveTheExactLength() {
        KmerTokenizer kmer = new KmerTokenizer(3);
        List<DnaGenerator.Sample> k = new DnaGenerator(tiny(kmer, Positions.ROPE, 8), kmer).generate(settings(List.of(), "GATTACA", 25, 2, 1), null);
        for (DnaGenerator.Sample s : k) {
            assertEquals(32, s.sequence().length());
            assertTrue(s.sequence().startsWith("GATTACA") && s.sequence().matches("[ACGT]+"), s.sequence());
        }
        List<DnaGenerator.Sample> fromNothing = new DnaGenerator(tiny(kmer, Positions.ROPE, 8), kmer).generate(settings(List.of(), "", 10, 2, 1), null);
        assertTrue(fromNothing.stream().allMatch(s -> s.sequence().length() == 10));
        assertThrows(IllegalArgumentException.class, () -> new DnaGenerator(tiny(kmer, Positions.ROPE, 8), kmer).generate(settings(List.of(), "GA", 10, 1, 1), null));

        NonOverlappingTokenizer nt6 = new NonOverlappingTokenizer();
        List<DnaGenerator.Sample> n = new DnaGenerator(tiny(nt6, Positions.ROPE, 8), nt6).generate(settings(List.of(), "", 20, 3, 1), null);
        assertTrue(n.stream().allMatch(s -> s.sequence().length() == 20 && s.sequence().matches("[ACGT]+")), n.toString());
    }

    @Test
    void unknownTagsAndModelsOutOfPositionsAreClearErrors() {
        Tokenizer tok = new NucleotideTokenizer(List.of("<x=1>"));
        IllegalArgumentException tag = assertThrows(IllegalArgumentException.class,
                () -> new DnaGenerator(tiny(tok, Positions.ROPE, 8), tok).generate(settings(List.of("<x=2>"), "", 5, 1, 1), null));
        assertTrue(tag.getMessage().contains("<x=2>") && tag.getMessage().contains("<x=1>"), tag.getMessage());
        IllegalArgumentException positions = assertThrows(IllegalArgumentException.class,
                () -> new DnaGenerator(tiny(tok, Positions.LEARNED, 12), tok).generate(settings(List.of(), "", 30, 1, 1), null));
        assertTrue(positions.getMessage().contains("positions stop at 12"), positions.getMessage());
        assertThrows(IllegalArgumentException.class, () -> settings(List.of(), "ACGN", 5, 1, 1));
    }
}
