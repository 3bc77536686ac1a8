package dev.strand.genomics.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Tokenizers read from the Hugging Face fixtures (src/test/resources/hf) give expected.json's ids. */
class HfTokenizerTest {
    static Stream<String> models() {
        return Stream.of("dnabert2", "gena-bert", "gena-bert-lastln", "nt-v1", "nt-v2");
    }

    static Path fixture(String model) {
        try {
            return Path.of(HfTokenizerTest.class.getResource("/hf/" + model).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode expected(String model) throws IOException {
        return Tokenizers.JSON.readTree(fixture(model).resolve("expected.json").toFile());
    }

    static List<String> sequences(JsonNode expected) {
        List<String> out = new ArrayList<>();
        expected.get("sequences").forEach(s -> out.add(s.asText()));
        return out;
    }

    static String[] tokens(Tokenizer t, int[] ids) {
        return Arrays.stream(ids).mapToObj(t::token).toArray(String[]::new);
    }

    @ParameterizedTest
    @MethodSource("models")
    void idsAndTokensMatchTheReference(String model) throws IOException {
        Tokenizer t = HuggingFaceTokenizers.read(fixture(model));
        JsonNode e = expected(model);
        List<String> seqs = sequences(e);
        for (int s = 0; s < seqs.size(); s++) {
            int[] ids = t.encodeWithSpecials(seqs.get(s));
            int[] want = Tokenizers.JSON.convertValue(e.get("token_ids").get(s), int[].class);
            assertArrayEquals(want, ids, model + " sequence " + s);
            assertArrayEquals(Tokenizers.JSON.convertValue(e.get("tokens").get(s), String[].class), tokens(t, ids), model + " sequence " + s);
            assertArrayEquals(ids, t.encodeWithSpecials(seqs.get(s).toLowerCase()), model + " lowercase sequence " + s);
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void specialIdsMatchTheReference(String model) throws IOException {
        Tokenizer t = HuggingFaceTokenizers.read(fixture(model));
        JsonNode e = expected(model);
        assertEquals(e.get("pad_token_id").asInt(), t.pad(), model);
        Map<String, Integer> specials = Tokenizers.JSON.convertValue(e.get("special_token_ids"), Map.class);
        specials.forEach((token, id) -> {
            assertEquals(id, t.id(token), model + " " + token);
            assertTrue(t.isSpecial(id), model + " " + token);
        });
        int specialCount = 0;
        for (int id = 0; id < t.vocabSize(); id++) if (t.isSpecial(id)) specialCount++;
        assertEquals(specials.size(), specialCount, model + ": the special ids are exactly expected.json's");
        boolean nt = model.startsWith("nt");
        assertEquals(t.id(nt ? "<unk>" : "[UNK]"), t.unk(), model);
        assertEquals(t.id(nt ? "<cls>" : "[CLS]"), t.cls(), model);
        assertEquals(t.id(nt ? "<mask>" : "[MASK]"), t.mask(), model);
        assertEquals(model.equals("nt-v1") ? -1 : t.id(nt ? "<eos>" : "[SEP]"), t.sep(), model);
    }

    @Test
    void vocabularySizesAreTheModels() throws IOException {
        Map<String, Integer> sizes = Map.of("dnabert2", 79, "gena-bert", 81, "gena-bert-lastln", 81, "nt-v1", 4105, "nt-v2", 4107);
        for (var e : sizes.entrySet()) {
            Tokenizer t = HuggingFaceTokenizers.read(fixture(e.getKey()));
            assertEquals(e.getValue(), t.vocabSize(), e.getKey());
            assertEquals(e.getKey().startsWith("nt") ? "hf-kmer" : "hf-bpe", t.kind());
        }
        assertEquals(6, assertInstanceOf(HfKmerTokenizer.class, HuggingFaceTokenizers.read(fixture("nt-v2"))).k());
        assertEquals(70, assertInstanceOf(HfBpeTokenizer.class, HuggingFaceTokenizers.read(fixture("dnabert2"))).mergeCount());
    }

    @ParameterizedTest
    @MethodSource("models")
    void savedAndLoadedGivesTheSameIds(String model, @TempDir Path dir) throws IOException {
        Tokenizer t = HuggingFaceTokenizers.read(fixture(model));
        Path file = dir.resolve("tokenizer.json");
        t.save(file);
        Tokenizer back = Tokenizers.load(file);
        assertEquals(t, back, model);
        assertEquals(t.getClass(), back.getClass());
        assertEquals(t.vocabSize(), back.vocabSize());
        assertEquals(List.of(t.pad(), t.unk(), t.cls(), t.sep(), t.mask()), List.of(back.pad(), back.unk(), back.cls(), back.sep(), back.mask()));
        for (String s : sequences(expected(model))) assertArrayEquals(t.encodeWithSpecials(s), back.encodeWithSpecials(s), model);
        for (int id = 0; id < t.vocabSize(); id++) assertEquals(t.isSpecial(id), back.isSpecial(id), model + " id " + id);
    }

    @ParameterizedTest
    @MethodSource("models")
    void decodingGivesBackTheBases(String model) throws IOException {
        Tokenizer t = HuggingFaceTokenizers.read(fixture(model));
        List<String> seqs = sequences(expected(model));
        assertEquals(seqs.get(0), t.decode(t.encodeWithSpecials(seqs.get(0))), model);
        if (!model.equals("dnabert2")) assertEquals(seqs.get(1), t.decode(t.encodeWithSpecials(seqs.get(1))), model + ": N is a token");
        if (model.startsWith("nt")) assertEquals(seqs.get(2), t.decode(t.encodeWithSpecials(seqs.get(2))), model);
    }

    @Test
    void controlTagsFollowTheVocabulary() throws IOException {
        HfKmerTokenizer nt = ((HfKmerTokenizer) HuggingFaceTokenizers.read(fixture("nt-v2"))).withControlTags(List.of("<species=dmel>"));
        HfBpeTokenizer gena = ((HfBpeTokenizer) HuggingFaceTokenizers.read(fixture("gena-bert"))).withControlTags(List.of("<species=dmel>"));
        assertEquals(4107, nt.id("<species=dmel>"));
        assertEquals(81, gena.id("<species=dmel>"));
        assertTrue(nt.isSpecial(4107) && gena.isSpecial(81));
        assertEquals("ACGT", gena.decode(gena.prependTags(gena.encode("ACGT"), "<species=dmel>")));
    }

    // ---- refusals: one line naming the file and what is unsupported

    private static IOException refused(Path dir) {
        IOException e = assertThrows(IOException.class, () -> HuggingFaceTokenizers.read(dir));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e;
    }

    private static Path copyOf(String model, Path dir) throws IOException {
        try (Stream<Path> files = Files.list(fixture(model))) {
            for (Path f : files.filter(f -> f.getFileName().toString().matches("tokenizer.*|special.*|vocab.txt")).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    private static void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertTrue(text.contains(from), from);
        Files.writeString(file, text.replace(from, to));
    }

    @Test
    void aDirectoryWithoutTokenizerFilesIsRefused(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("config.json"), "{}");
        IOException e = refused(dir);
        assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("neither tokenizer.json nor vocab.txt"), e.getMessage());
        assertTrue(refused(dir.resolve("absent")).getMessage().contains("not a directory"));
    }

    @Test
    void aWordPieceModelIsRefused(@TempDir Path dir) throws IOException {
        edit(copyOf("dnabert2", dir).resolve("tokenizer.json"), "\"type\": \"BPE\"", "\"type\": \"WordPiece\"");
        IOException e = refused(dir);
        assertTrue(e.getMessage().startsWith(dir.resolve("tokenizer.json").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("model type \"WordPiece\" is not supported"), e.getMessage());
    }

    @Test
    void malformedJsonIsRefused(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"type\": \"BPE\", ");
        IOException e = refused(dir);
        assertTrue(e.getMessage().startsWith(dir.resolve("tokenizer.json") + " is not JSON"), e.getMessage());
    }

    @Test
    void unsupportedPipelineStepsAreRefused(@TempDir Path dir) throws IOException {
        Path file = copyOf("gena-bert", dir).resolve("tokenizer.json");
        edit(file, "\"type\": \"Strip\"", "\"type\": \"BertNormalizer\"");
        assertTrue(refused(dir).getMessage().contains(file + ": normalizer type \"BertNormalizer\" is not supported"));
        edit(file, "\"type\": \"BertNormalizer\"", "\"type\": \"Strip\"");
        edit(file, "\"behavior\": \"Isolated\"", "\"behavior\": \"MergedWithNext\"");
        assertTrue(refused(dir).getMessage().contains(file + ": pre_tokenizer Split behavior \"MergedWithNext\" is not supported"));
        edit(file, "\"behavior\": \"MergedWithNext\"", "\"behavior\": \"Isolated\"");
        edit(file, "\"unk_token\": \"[UNK]\"", "\"unk_token\": \"[UNK]\", \"byte_fallback\": true");
        assertTrue(refused(dir).getMessage().contains(file + ": BPE byte_fallback is not supported"));
    }

    @Test
    void specialTokenFilesAreChecked(@TempDir Path dir) throws IOException {
        Path map = copyOf("gena-bert", dir).resolve("special_tokens_map.json");
        edit(map, "\"[PAD]\"", "\"[NOPE]\"");
        IOException e = refused(dir);
        assertTrue(e.getMessage().startsWith(map + ": pad_token \"[NOPE]\" is not in the vocabulary"), e.getMessage());
        Files.writeString(map, "[1, 2");
        assertTrue(refused(dir).getMessage().startsWith(map + " is not JSON"));
    }

    @Test
    void vocabTxtNeedsAnEsmTokenizerConfig(@TempDir Path dir) throws IOException {
        Path config = copyOf("nt-v1", dir).resolve("tokenizer_config.json");
        edit(config, "\"EsmTokenizer\"", "\"BertTokenizer\"");
        assertTrue(refused(dir).getMessage().startsWith(config + ": tokenizer_class \"BertTokenizer\" is not supported with vocab.txt"));
        Files.delete(config);
        assertTrue(refused(dir).getMessage().startsWith(config + " is missing"));
    }

    @Test
    void vocabTxtMustHoldEveryKmer(@TempDir Path dir) throws IOException {
        Path vocab = copyOf("nt-v2", dir).resolve("vocab.txt");
        edit(vocab, "\nAAAAAT\n", "\n");
        assertTrue(refused(dir).getMessage().startsWith(vocab + ": 4095 k-mers of length 6, not all 4096"));
        Files.writeString(vocab, "<unk>\n<pad>\n<mask>\n<cls>\n[SEP]\nA\nC\nG\nT\n");
        assertTrue(refused(dir).getMessage().startsWith(vocab + ": token \"[SEP]\" (id 4) is neither a k-mer"));
    }

    @Test
    void esmAppendsEosWhenTheConfigNamesOne(@TempDir Path dir) throws IOException {
        edit(copyOf("nt-v2", dir).resolve("tokenizer_config.json"), "\"eos_token\": null", "\"eos_token\": \"<eos>\"");
        Tokenizer t = HuggingFaceTokenizers.read(dir);
        assertArrayEquals(new int[] {3, t.id("ACGTTG"), t.id("A"), 4}, t.encodeWithSpecials("ACGTTGA"));
    }
}
