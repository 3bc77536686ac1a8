package dev.strand.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.strand.spark.RunDirectories.assertIdentical;
import static dev.strand.spark.RunDirectories.losses;
import static dev.strand.spark.RunDirectories.weights;

import dev.strand.cli.Main;
import dev.strand.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strand pretrain --spark local[2]} trains what {@code strand pretrain} trains: bit for bit,
 * dropout included, when the replicas draw their own data shards (reading the FASTA through Hadoop)
 * and one process draws the same shards, and to float rounding when the driver ships them its
 * batch; and a Spark run stopped and resumed from its checkpoint ends where an uninterrupted one
 * does.
 */
class SparkPretrainCommandTest {
    private static final Path LAMBDA = Path.of("../app/src/test/resources/lambda_virus.fa");

    @TempDir
    Path dir;

    private static List<String> args(Path out, int steps, String... more) {
        List<String> a = new ArrayList<>(List.of("pretrain", "--fasta", LAMBDA.toString(), "--tokenizer", "kmer:3", "--window", "64", "--batch", "8",
                "--dim", "16", "--layers", "2", "--heads", "2", "--steps", String.valueOf(steps), "--eval-every", "0",
                "--checkpoint-every", "3", "--out", out.toString()));
        a.addAll(List.of(more));
        return a;
    }

    private static void assertClose(Path expected, Path got) throws IOException {
        List<Double> a = losses(expected), b = losses(got);
        assertEquals(a.size(), b.size(), "steps logged");
        for (int i = 0; i < a.size(); i++) assertEquals(a.get(i), b.get(i), 1e-6 * Math.abs(a.get(i)), "loss at step " + (i + 1));
        Map<String, Tensor> wa = weights(expected), wb = weights(got);
        wa.forEach((name, t) -> {
            float[] x = t.toFloatArray(), y = wb.get(name).toFloatArray();
            for (int i = 0; i < x.length; i++) assertEquals(x[i], y[i], 1e-5 * Math.max(1f, Math.abs(x[i])), name + "[" + i + "]");
        });
    }

    @Test
    void replicasDrawingTheirOwnShardsTrainWhatOneProcessDrawingThemAllTrainsAndResume() throws IOException {
        Path fasta = Files.copy(LAMBDA, dir.resolve("lambda.fa"));          // its .fai is written beside it
        String uri = fasta.toUri().toString();                               // file:///…: read through Hadoop
        Path single = dir.resolve("single"), parallel = dir.resolve("parallel"), resumed = dir.resolve("resumed");
        assertEquals(0, Main.run(args(single, 6, "--data-shards", "2", "--dropout", "0.1").toArray(String[]::new)));
        assertEquals(0, Main.run(withFasta(args(parallel, 6, "--spark", "local[2]", "--dropout", "0.1"), uri)));
        assertIdentical(single, parallel);
        assertTrue(Files.exists(dir.resolve("lambda.fa.fai")), "the index built through Hadoop is kept beside the FASTA");

        // A run that died after step 3's checkpoint: the parallel run's directory as it was then.
        assertEquals(0, Main.run(withFasta(args(resumed, 6, "--spark", "local[2]", "--dropout", "0.1"), uri)));
        dev.strand.nn.checkpoint.AtomicFiles.deleteTree(resumed.resolve("step-0000006"));
        Files.writeString(resumed.resolve("latest"), "step-0000003\n");
        assertEquals(0, Main.run(withFasta(args(resumed, 6, "--spark", "local[2]", "--dropout", "0.1", "--resume"), uri)));
        assertIdentical(parallel, resumed);
        assertTrue(Files.exists(resumed.resolve("step-0000006")));
    }

    @Test
    void replicasGivenTheDriversBatchTrainWhatOneProcessTrains() throws IOException {
        Path single = dir.resolve("single"), parallel = dir.resolve("parallel");
        assertEquals(0, Main.run(args(single, 4, "--dropout", "0").toArray(String[]::new)));   // the replicas' own dropout masks would differ
        assertEquals(0, Main.run(args(parallel, 4, "--spark", "local[2]", "--data-shards", "0", "--dropout", "0").toArray(String[]::new)));
        assertClose(single, parallel);
    }

    @Test
    void aBlockSparseModelsRandomLayoutTravelsToTheReplicas() throws IOException {
        Path single = dir.resolve("single"), parallel = dir.resolve("parallel");
        String bigbird = "bigbird:block=8,window=3,global=1,random=1";
        assertEquals(0, Main.run(args(single, 3, "--data-shards", "2", "--attention", bigbird, "--dropout", "0").toArray(String[]::new)));
        assertEquals(0, Main.run(args(parallel, 3, "--spark", "local[2]", "--attention", bigbird, "--dropout", "0").toArray(String[]::new)));
        assertIdentical(single, parallel);
    }

    @Test
    void causalModelsTrainOnReplicasToo() throws IOException {
        for (String[] model : new String[][] {{}, {"--rmt", "memory=2,segment=32,bptt=1"}}) {
            Path single = dir.resolve("causal-single" + model.length), parallel = dir.resolve("causal-parallel" + model.length);
            List<String> a = args(single, 3, "--objective", "causal", "--data-shards", "2", "--dropout", "0.1");
            a.addAll(List.of(model));
            List<String> b = args(parallel, 3, "--objective", "causal", "--spark", "local[2]", "--dropout", "0.1");
            b.addAll(List.of(model));
            assertEquals(0, Main.run(a.toArray(String[]::new)));
            assertEquals(0, Main.run(b.toArray(String[]::new)));
            assertIdentical(single, parallel);
        }
    }

    @Test
    void sparkSubmitsEntryPointTrainsOnTheMasterSparkSubmitGives() throws IOException {
        Path single = dir.resolve("single"), submitted = dir.resolve("submitted");
        assertEquals(0, Main.run(args(single, 3, "--data-shards", "2", "--dropout", "0").toArray(String[]::new)));
        System.setProperty("spark.master", "local[2]");                    // what spark-submit sets for the driver
        try {
            assertEquals(0, SparkMain.run(args(submitted, 3, "--dropout", "0").toArray(String[]::new)));   // no --spark: SparkMain adds "submit"
        } finally {
            System.clearProperty("spark.master");
        }
        assertIdentical(single, submitted);
    }

    private static String[] withFasta(List<String> args, String location) {
        args.set(args.indexOf(LAMBDA.toString()), location);
        return args.toArray(String[]::new);
    }
}
