package dev.strand.genomics.train;

import dev.strand.genomics.RandomDna;
import dev.strand.genomics.data.LabelledDataset;
import dev.strand.genomics.io.Bases;
import dev.strand.genomics.tasks.FineTuningData;
import dev.strand.genomics.tokenize.NucleotideTokenizer;
import dev.strand.nn.checkpoint.Checkpoint;
import dev.strand.nn.transformer.BertModel;
import dev.strand.nn.transformer.Positions;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Generator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small tasks with a known signal, and a stand-in "pretrained" run to fine-tune from. */
final class PlantedTasks {
    static final String MOTIF = "TATAAAAG";

    private PlantedTasks() {}

    /** Random DNA of {@code length}; label 1 rows carry the TATA-box-like 8-mer at a random place. */
    static LabelledDataset motif(String name, int rows, int length, long seed) {
        Random rng = new Random(seed);
        List<String> seqs = new ArrayList<>();
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            String s = RandomDna.random(length, rng);
            labels[i] = i % 2;
            if (labels[i] == 1) {
                int at = rng.nextInt(length - MOTIF.length() + 1);
                s = s.substring(0, at) + MOTIF + s.substring(at + MOTIF.length());
            }
            seqs.add(s);
        }
        return LabelledDataset.classification(name, seqs, labels);
    }

    /** The same rows with every label flipped (0 ↔ 1). */
    static LabelledDataset flipped(LabelledDataset d) {
        List<String> seqs = new ArrayList<>();
        int[] labels = d.classLabels();
        for (int i = 0; i < labels.length; i++) {
            seqs.add(d.row(i).sequence());
            labels[i] = 1 - labels[i];
        }
        return LabelledDataset.classification(d.source() + "[flipped]", seqs, labels);
    }

    /**
     * A task only the strand read can solve: every row carries the 8-mer, label 1 on the strand read
     * (TATAAAAG) and label 0 as its reverse complement (CTTTTATA).
     */
    static FineTuningData strandTask(int trainRows, int length) {
        return new FineTuningData("strand", strand("train", trainRows, length, 1), strand("dev", 100, length, 2), strand("test", 200, length, 3),
                List.of("reverse", "forward"));
    }

    private static LabelledDataset strand(String name, int rows, int length, long seed) {
        Random rng = new Random(seed);
        List<String> seqs = new ArrayList<>();
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = i % 2;
            String planted = labels[i] == 1 ? MOTIF : Bases.reverseComplement(MOTIF);
            String s = RandomDna.random(length, rng);
            int at = rng.nextInt(length - MOTIF.length() + 1);
            seqs.add(s.substring(0, at) + planted + s.substring(at + MOTIF.length()));
        }
        return LabelledDataset.classification(name, seqs, labels);
    }

    /** GC fraction regression: each row's target is the fraction of G and C in it. */
    static LabelledDataset gcContent(String name, int rows, int length, long seed) {
        Random rng = new Random(seed);
        List<LabelledDataset.Row> out = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            double gc = 0.2 + 0.6 * rng.nextDouble();
            StringBuilder sb = new StringBuilder();
            for (int t = 0; t < length; t++) {
                boolean strong = rng.nextDouble() < gc;
                sb.append(strong ? (rng.nextBoolean() ? 'G' : 'C') : (rng.nextBoolean() ? 'A' : 'T'));
            }
            String s = sb.toString();
            long count = s.chars().filter(c -> c == 'G' || c == 'C').count();
            out.add(new LabelledDataset.Row(s, new float[] {(float) count / length}, 0));
        }
        return LabelledDataset.of(name, LabelledDataset.Task.REGRESSION, List.of("gc"), out);
    }

    static FineTuningData motifTask(int trainRows, int length) {
        return new FineTuningData("motif", motif("train", trainRows, length, 1), motif("dev", 100, length, 2), motif("test", 200, length, 3),
                List.of("background", "motif"));
    }

    /**
     * A run directory as {@code strand pretrain} leaves it (tokenizer, objective, one checkpoint), with
     * an untrained BERT of {@code config}: enough to test the plumbing from a pretrained model.
     */
    static PretrainedModel pretrainedRun(Path dir, TransformerConfig config) throws IOException {
        BertModel bert = new BertModel(config, new Generator(123));
        PretrainedModel.describe(dir, new NucleotideTokenizer(), PretrainedModel.Objective.MLM);
        Checkpoint.save(dir, 1, bert, config, null, Map.of());
        return PretrainedModel.open(dir);
    }

    /** A tiny encoder for the nucleotide tokenizer: d 32, 2 layers, 4 heads, RoPE, no dropout. */
    static TransformerConfig tinyConfig(Positions positions, int maxLength) {
        return new TransformerConfig(new NucleotideTokenizer().vocabSize(), 32, 2, 4, 64, maxLength, 0f, true, positions, 1e-5f);
    }
}
