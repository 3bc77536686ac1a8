package dev.strand.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.autograd.GradMode;
import dev.strand.genomics.data.TokenRows;
import dev.strand.genomics.io.FastaReader;
import dev.strand.genomics.train.MaskedLanguageModelling;
import dev.strand.genomics.train.PretrainedModel;
import dev.strand.nn.transformer.BertModel;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The checkpoints under {@code models/} load as their READMEs describe them (tokens, size), and
 * fill in masked DNA of a genome they never saw (phage lambda) better than a uniform guess.
 */
class ShippedModelsTest {
    /** @param maxLoss the masked-token cross-entropy (nats) the model must beat on lambda */
    private static void check(String dir, String tokenizerKind, long parameters, double maxLoss) throws Exception {
        PretrainedModel shipped = PretrainedModel.open(Path.of("..", "models", dir));
        assertEquals(tokenizerKind, shipped.tokenizer().kind(), dir);
        assertEquals(PretrainedModel.Objective.MLM, shipped.objective(), dir);
        BertModel model = shipped.loadBert();
        assertEquals(parameters, model.parameterCount(), dir + ": the parameter count its README gives");
        String lambda = FastaReader.readAll(Path.of(ShippedModelsTest.class.getResource("/lambda_virus.fa").toURI())).get(0).sequence();
        List<int[]> rows = new ArrayList<>();
        for (int start = 0; start + 300 <= 300 * 8; start += 300) rows.add(shipped.tokenizer().encodeWithSpecials(lambda.substring(start, start + 300)));
        Tensor ids = TokenRows.padded(rows, shipped.tokenizer().pad());                       // [8, T]
        var masked = MaskedLanguageModelling.maskerFor(shipped.tokenizer()).mask(ids, new Generator(1));
        model.eval();
        float loss;
        try (var off = GradMode.off()) {
            loss = model.mlmLoss(masked.inputIds(), null, masked.labels()).item();
        }
        assertTrue(loss < maxLoss, dir + ": masked-token cross-entropy " + loss + " nats, more than " + maxLoss);
    }

    @Test
    void theSixMerCheckpointLoadsAndPredicts() throws Exception {
        check("dna-6mer-small", "kmer", 470_917, 0.4 * Math.log(4101));    // 2.23 nats when committed; a uniform guess 8.32
    }

    @Test
    void theSingleBaseCheckpointLoadsAndPredicts() throws Exception {
        check("dna-1mer-small", "nucleotide", 205_782, Math.log(4));         // 1.29 nats when committed; a uniform base 1.39
    }
}
