package dev.strand.genomics.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strand.nn.attention.Alibi;
import dev.strand.nn.attention.BigBirdAttention;
import dev.strand.nn.checkpoint.SafeTensors;
import dev.strand.nn.transformer.BertModel;
import dev.strand.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Imported models compute what PyTorch computed: tiny random instances of each family, built by
 * {@code src/test/resources/hf/make_hf_fixtures.py} as the reference source defines them, in both
 * weight forms; Strand's hidden states and MLM logits agree within 1e-4 on every unpadded row.
 */
class HubParityTest {
    static final Path FIXTURES = Path.of("src/test/resources/hf");
    private static final float TOL = 1e-4f;

    @ParameterizedTest(name = "{0} from {1}")
    @CsvSource({"dnabert2, model.safetensors", "dnabert2, pytorch_model.bin",
            "nt-v2, model.safetensors", "nt-v2, pytorch_model.bin",
            "nt-v1, model.safetensors", "nt-v1, pytorch_model.bin",
            "gena-bert, model.safetensors", "gena-bert, pytorch_model.bin",
            "gena-bert-lastln, model.safetensors", "gena-bert-lastln, pytorch_model.bin",
            "gena-sparse, model.safetensors", "gena-sparse, pytorch_model.bin"})
    void importedModelsReproducePyTorch(String fixture, String weights) throws IOException {
        Path dir = FIXTURES.resolve(fixture);
        JsonNode expected = new ObjectMapper().readTree(Files.readString(dir.resolve("expected.json")));
        Map<String, Tensor> out = SafeTensors.read(dir.resolve("expected.safetensors")).tensors();
        HubImport.Loaded loaded = HubImport.load(dir, dir.resolve(weights));
        BertModel model = loaded.model();
        model.eval();

        Outputs got = run(model, expected);
        int[][] mask = got.mask();
        int rows = compareRows("hidden states", out.get("hidden_states"), got.hidden(), mask);
        assertTrue(rows >= 39, "compared " + rows + " rows");

        Tensor logits = got.logits();                                                   // [B, T, V]
        if (out.containsKey("logits")) {
            compareRows("logits", out.get("logits"), logits, mask);
        } else {
            int[] columns = ints(expected.get("logits_column_ids"))[0];
            Tensor picked = logits.indexSelect(2, Tensor.ofInts(columns));               // [B, T, K]
            compareRows("logits at the listed ids", out.get("logits_columns"), picked, mask);
            int[][] at = ints(expected.get("logits_row_positions"));
            Tensor wholeRows = out.get("logits_rows");                                   // [3, V]
            for (int r = 0; r < at.length; r++) {
                assertClose(wholeRows.select(0, r), logits.select(0, at[r][0]).select(0, at[r][1]), "logits over the vocabulary at " + at[r][0] + "," + at[r][1]);
            }
        }
        if (expected.has("alibi_slopes") && !expected.get("alibi_slopes").isNull()) {
            float[] slopes = Alibi.slopes(loaded.config().heads());
            JsonNode want = expected.get("alibi_slopes");
            for (int h = 0; h < slopes.length; h++) assertEquals(want.get(h).asDouble(), slopes[h], 1e-7, "ALiBi slope of head " + h);
        }
    }

    /**
     * Hugging Face BigBird, from {@code make_hf_bigbird_fixture.py}: a batch long enough for
     * block-sparse attention (padded to whole blocks, block 0 standing in for the random blocks in
     * evaluation) and a short one that falls back to full attention.
     */
    @ParameterizedTest(name = "bigbird from {0}")
    @ValueSource(strings = {"model.safetensors", "pytorch_model.bin"})
    void bigBirdReproducesPyTorchInBothItsPaths(String weights) throws IOException {
        Path dir = FIXTURES.resolve("bigbird");
        JsonNode expected = new ObjectMapper().readTree(Files.readString(dir.resolve("expected.json")));
        Map<String, Tensor> out = SafeTensors.read(dir.resolve("expected.safetensors")).tensors();
        for (String c : List.of("sparse", "full")) {
            BertModel model = HubImport.load(dir, dir.resolve(weights)).model();   // a fresh model per case, as the fixture's
            model.eval();
            Outputs got = run(model, expected.get("cases").get(c));
            compareRows(c + " hidden states", out.get(c + "/hidden_states"), got.hidden(), got.mask());
            compareRows(c + " logits", out.get(c + "/logits"), got.logits(), got.mask());
        }
        assertEquals(2, BigBirdAttention.in(HubImport.load(dir, dir.resolve(weights)).model()).size(), "both layers block-sparse");
    }

    /** A model's last hidden states [B, T, d] and logits [B, T, V] for the inputs, and the attention mask [B][T] (1 = token). */
    record Outputs(Tensor hidden, Tensor logits, int[][] mask) {}

    /** Runs {@code model} on a fixture's {@code input_ids} and {@code attention_mask}. */
    static Outputs run(BertModel model, JsonNode inputs) {
        int[][] ids = ints(inputs.get("input_ids")), mask = ints(inputs.get("attention_mask"));
        int b = ids.length, t = ids[0].length;
        int[] flatIds = new int[b * t];
        float[] padding = new float[b * t];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                flatIds[i * t + j] = ids[i][j];
                padding[i * t + j] = mask[i][j] == 0 ? 1f : 0f;
            }
        }
        Tensor input = Tensor.ofInts(flatIds, b, t), keyPadding = Tensor.of(padding, b, t);
        return new Outputs(model.hidden(input, keyPadding).data(), model.mlmLogits(input, keyPadding).data(), mask);
    }

    /** Compares [B, T, n] row by row where the attention mask is 1; returns how many rows. */
    static int compareRows(String what, Tensor want, Tensor got, int[][] mask) {
        assertEquals(want.size(2), got.size(2), what + " width");
        int rows = 0;
        for (int i = 0; i < mask.length; i++) {
            for (int j = 0; j < mask[i].length; j++) {
                if (mask[i][j] == 0) continue;
                assertClose(want.select(0, i).select(0, j), got.select(0, i).select(0, j), what + " at " + i + "," + j);
                rows++;
            }
        }
        return rows;
    }

    private static void assertClose(Tensor want, Tensor got, String what) {
        float[] w = want.toFloatArray(), g = got.toFloatArray();
        assertEquals(w.length, g.length, what);
        float worst = 0;
        for (int k = 0; k < w.length; k++) worst = Math.max(worst, Math.abs(w[k] - g[k]));
        assertTrue(worst <= TOL, what + ": off by " + worst);
    }

    /** A JSON array of int arrays (or one int array, as one row). */
    static int[][] ints(JsonNode n) {
        boolean nested = n.get(0).isArray();
        int[][] out = new int[nested ? n.size() : 1][];
        for (int i = 0; i < out.length; i++) {
            JsonNode row = nested ? n.get(i) : n;
            out[i] = new int[row.size()];
            for (int j = 0; j < row.size(); j++) out[i][j] = row.get(j).asInt();
        }
        return out;
    }
}
