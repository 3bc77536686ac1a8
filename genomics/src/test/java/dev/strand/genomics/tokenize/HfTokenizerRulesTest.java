package dev.strand.genomics.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Hugging Face rules the fixtures do not reach, on small hand-made tokenizer files: merge
 * order, unknown characters, added tokens, splitting, and EsmTokenizer's treatment of other text.
 */
class HfTokenizerRulesTest {
    @TempDir
    Path dir;

    /** A tokenizer.json: specials [UNK]=0 [CLS]=1 [SEP]=2, then {@code letters}, then one token per merge. */
    private Tokenizer bpe(String letters, List<String> merges, String normalizer, String preTokenizer, boolean fuseUnk,
            String... addedNormalized) throws IOException {
        ObjectNode root = Tokenizers.JSON.createObjectNode();
        ArrayNode added = root.putArray("added_tokens");
        ObjectNode model = Tokenizers.JSON.createObjectNode().put("type", "BPE").put("unk_token", "[UNK]").put("fuse_unk", fuseUnk);
        ObjectNode vocab = model.putObject("vocab");
        for (String s : List.of("[UNK]", "[CLS]", "[SEP]")) {
            added.addObject().put("id", vocab.size()).put("content", s).put("special", true).put("normalized", false);
            vocab.put(s, vocab.size());
        }
        for (String a : addedNormalized) {
            added.addObject().put("id", vocab.size()).put("content", a).put("special", false).put("normalized", true);
            vocab.put(a, vocab.size());
        }
        for (char c : letters.toCharArray()) vocab.put(String.valueOf(c), vocab.size());
        for (String m : merges) vocab.put(m.replace(" ", ""), vocab.size());
        merges.forEach(model.putArray("merges")::add);
        root.set("model", model);
        root.set("normalizer", normalizer == null ? null : Tokenizers.JSON.readTree(normalizer));
        root.set("pre_tokenizer", preTokenizer == null ? null : Tokenizers.JSON.readTree(preTokenizer));
        root.set("post_processor", Tokenizers.JSON.readTree("{\"type\": \"BertProcessing\", \"sep\": [\"[SEP]\", 2], \"cls\": [\"[CLS]\", 1]}"));
        Files.write(dir.resolve("tokenizer.json"), Tokenizers.JSON.writeValueAsBytes(root));
        return HuggingFaceTokenizers.read(dir);
    }

    private static List<String> tokens(Tokenizer t, String text) {
        return Arrays.stream(t.encode(text)).mapToObj(t::token).toList();
    }

    @Test
    void mergesGoByRankNotByPosition() throws IOException {
        Tokenizer t = bpe("AC", List.of("C A", "A C"), null, null, false);
        assertEquals(List.of("A", "CA"), tokens(t, "ACA"), "rank 0 (C A) before the leftmost pair (A C)");
        assertEquals(List.of("A", "CA", "C"), tokens(t, "ACAC"), "C A at 1 first, and no merge joins A or C to CA");
    }

    @Test
    void amongEqualRanksTheLeftmostMergesFirst() throws IOException {
        Tokenizer t = bpe("A", List.of("A A", "AA A"), null, null, false);
        assertEquals(List.of("AAA"), tokens(t, "AAA"));
        assertEquals(List.of("AA", "AA"), tokens(t, "AAAA"));
        assertEquals(List.of("AA", "AAA"), tokens(t, "AAAAA"), "A A at 0 and 2, then AA A at 2");
    }

    @Test
    void unknownCharactersAreUnkEachOrFused() throws IOException {
        assertEquals(List.of("A", "[UNK]", "[UNK]", "A"), tokens(bpe("A", List.of(), null, null, false), "AXYA"));
        assertEquals(List.of("A", "[UNK]", "A", "[UNK]"), tokens(bpe("A", List.of(), null, null, true), "AXYAZ"));
    }

    @Test
    void addedTokensAreCutOutBeforeTheModel() throws IOException {
        Tokenizer t = bpe("ACGT", List.of("C G"), null, null, false);
        assertEquals(List.of("A", "C", "[SEP]", "G", "T"), tokens(t, "ac[sep]gt"), "the merge C G cannot cross [SEP]");
        assertArrayEquals(new int[] {1, t.id("A"), t.id("CG"), 2}, t.encodeWithSpecials("acg"));
    }

    @Test
    void normalisedAddedTokensAreCutOutAfterTheNormaliser() throws IOException {
        String replace = "{\"type\": \"Replace\", \"pattern\": {\"Regex\": \"N{3,}\"}, \"content\": \"-\"}";
        Tokenizer t = bpe("ACN", List.of("N N"), replace, null, false, "-");
        assertEquals(List.of("A", "-", "C", "NN"), tokens(t, "ANNNNCNN"));
    }

    @Test
    void splitAndWhitespacePreTokenizers() throws IOException {
        String removed = "{\"type\": \"Split\", \"pattern\": {\"String\": \"T\"}, \"behavior\": \"Removed\", \"invert\": false}";
        assertEquals(List.of("A", "AA"), tokens(bpe("AT", List.of("A A"), null, removed, false), "ATAAT"));
        String inverted = "{\"type\": \"Split\", \"pattern\": {\"Regex\": \"A+\"}, \"behavior\": \"Removed\", \"invert\": true}";
        assertEquals(List.of("AA", "A"), tokens(bpe("AT", List.of("A A"), null, inverted, false), "TAATAT"));
        String isolated = "{\"type\": \"Sequence\", \"pretokenizers\": [{\"type\": \"WhitespaceSplit\"}, "
                + "{\"type\": \"Split\", \"pattern\": {\"String\": \"T\"}, \"behavior\": \"Isolated\", \"invert\": false}]}";
        assertEquals(List.of("A", "T", "A", "A", "T"), tokens(bpe("AT", List.of("A T", "A A"), null, isolated, false), "AT A\tAT"),
                "merges stay inside words");
        assertEquals(List.of("AT", "AA"), tokens(bpe("AT", List.of("A T", "A A"), null, "{\"type\": \"Whitespace\"}", false), " AT  AA "));
    }

    @Test
    void stripAndCaseNormalisers() throws IOException {
        String steps = "{\"type\": \"Sequence\", \"normalizers\": [{\"type\": \"Strip\", \"strip_left\": false, \"strip_right\": true}, "
                + "{\"type\": \"Lowercase\"}]}";
        Tokenizer t = bpe("ac ", List.of("a c"), steps, null, false);
        assertEquals(List.of(" ", "ac"), tokens(t, " AC  "), "lowercase vocabulary: no uppercasing first, the normaliser lowercases");
    }

    @Test
    void esmTurnsEachRunOfOtherTextIntoOneUnk() throws IOException {
        Path nt = dir.resolve("nt");
        Files.createDirectories(nt);
        StringBuilder vocab = new StringBuilder("<unk>\n<pad>\n<mask>\n<cls>\n");
        for (String kmer : KmerTokenizer.productOrder(2)) vocab.append(kmer).append('\n');
        vocab.append("A\nT\nC\nG\nN\n");
        Files.writeString(nt.resolve("vocab.txt"), vocab);
        Files.writeString(nt.resolve("tokenizer_config.json"), "{\"tokenizer_class\": \"EsmTokenizer\", \"eos_token\": null}");
        Tokenizer t = HuggingFaceTokenizers.read(nt);
        assertEquals(2, ((HfKmerTokenizer) t).k());
        assertEquals(List.of("AC", "G", "<unk>", "N", "TT", "<unk>", "<unk>", "GT", "A"), tokens(t, "acgRYnTT#@ X\nGTA"));
        assertEquals(List.of("<cls>", "GA", "T"), Arrays.stream(t.encodeWithSpecials("GAT")).mapToObj(t::token).toList());
    }
}
