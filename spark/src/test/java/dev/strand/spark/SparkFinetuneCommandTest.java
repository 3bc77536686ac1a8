package dev.strand.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.strand.spark.RunDirectories.losses;
import static dev.strand.spark.RunDirectories.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strand.cli.Main;
import dev.strand.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strand finetune --spark local[2]}, its replicas each drawing their own shard of train rows
 * read through Hadoop, fine-tunes what {@code strand finetune --data-shards 2} fine-tunes in one
 * process, bit for bit: every step's loss, the kept weights (a batch-normalised head's running
 * statistics included), and the dev and test scores, with dropout; with LoRA adapters too.
 */
class SparkFinetuneCommandTest {
    private static final Path LAMBDA = Path.of("../app/src/test/resources/lambda_virus.fa");
    private static final Path PROMOTERS = Path.of("../app/src/test/resources/promoters");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path pretrained() {
        Path out = dir.resolve("pretrained");
        assertEquals(0, Main.run("pretrain", "--fasta", LAMBDA.toString(), "--out", out.toString(), "--steps", "2", "--batch", "2", "--window", "64",
                "--dim", "16", "--layers", "1", "--heads", "2", "--eval-every", "0", "--checkpoint-every", "2"));
        return out;
    }

    private static List<String> finetune(Path model, Path out, String train, String... more) {
        List<String> a = new ArrayList<>(List.of("finetune", "--model", model.toString(), "--train", train,
                "--dev", PROMOTERS.resolve("dev.csv").toString(), "--test", PROMOTERS.resolve("test.csv").toString(),
                "--steps", "4", "--eval-every", "2", "--batch", "8", "--lr", "1e-3", "--dropout", "0.1", "--pooling", "mean", "--head-norm",
                "--out", out.toString()));
        a.addAll(List.of(more));
        return a;
    }

    /** The same losses, checkpoint, and dev and test scores, bit for bit. */
    private static void assertSameRun(Path expected, Path got) throws IOException {
        assertEquals(4, losses(expected).size(), "every step logged");
        RunDirectories.assertIdentical(expected, got);
        JsonNode ra = JSON.readTree(expected.resolve("result.json").toFile()), rb = JSON.readTree(got.resolve("result.json").toFile());
        assertEquals(ra.get("dev"), rb.get("dev"));
        assertEquals(ra.get("test"), rb.get("test"));
    }

    @Test
    void replicasDrawingTheirOwnTrainRowsFineTuneWhatOneProcessFineTunes() throws IOException {
        Path model = pretrained();
        Path train = Files.copy(PROMOTERS.resolve("train.csv"), dir.resolve("train.csv"));
        Path single = dir.resolve("single"), parallel = dir.resolve("parallel");
        assertEquals(0, Main.run(finetune(model, single, train.toString(), "--data-shards", "2").toArray(String[]::new)));
        assertEquals(0, Main.run(finetune(model, parallel, train.toUri().toString(), "--spark", "local[2]").toArray(String[]::new)));
        assertSameRun(single, parallel);
        Tensor running = weights(single).get("head.norm.running_mean");
        assertTrue(running != null && running.abs().sum().item() > 0, "the head's running statistics moved, and match: " + weights(single).keySet());

        Path loraSingle = dir.resolve("lora-single"), loraParallel = dir.resolve("lora-parallel");
        assertEquals(0, Main.run(finetune(model, loraSingle, train.toString(), "--data-shards", "2", "--lora", "r=4,dropout=0.1").toArray(String[]::new)));
        assertEquals(0, Main.run(finetune(model, loraParallel, train.toString(), "--spark", "local[2]", "--lora", "r=4,dropout=0.1").toArray(String[]::new)));
        assertSameRun(loraSingle, loraParallel);
        assertNotEquals(losses(single), losses(loraSingle), "the adapters are what trained");
    }
}
