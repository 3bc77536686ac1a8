package dev.strand.genomics.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.genomics.RandomDna;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizersTest {
    static final List<String> TAGS = List.of("<species=dmel>", "<task=promoter>");

    static List<Tokenizer> all(List<String> tags) {
        return List.of(new NucleotideTokenizer(tags), new KmerTokenizer(3, tags), new KmerTokenizer(6, tags),
                new NonOverlappingTokenizer(tags),
                new BpeTrainer(300).controlTags(tags).train(BpeTest.genomeLike(30_000, 9)));
    }

    @Test
    void controlTagsGetIdsAfterTheVocabulary() {
        for (Tokenizer t : all(TAGS)) {
            int base = t.vocabSize() - 2;
            assertEquals(base, t.id("<species=dmel>"), t.kind());
            assertEquals(base + 1, t.id("<task=promoter>"), t.kind());
            assertEquals("<task=promoter>", t.token(base + 1));
            assertTrue(t.isSpecial(base) && t.isSpecial(base + 1), t.kind());
            assertEquals(TAGS, t.controlTags());
            assertEquals(t.unk(), t.id("<species=hsap>"));
            assertEquals("", t.decode(new int[] {base, base + 1}));
        }
        assertEquals(22, new NucleotideTokenizer(TAGS).id("<species=dmel>"));
        assertEquals(4101, new KmerTokenizer(6, TAGS).id("<species=dmel>"));
        assertEquals(4107, new NonOverlappingTokenizer(TAGS).id("<species=dmel>"));
    }

    @Test
    void prependingTags() {
        KmerTokenizer t = new KmerTokenizer(3, TAGS);
        int[] body = t.encode("ACGTT");
        int[] tagged = t.prependTags(body, "<species=dmel>", "<task=promoter>");
        assertArrayEquals(new int[] {69, 70, body[0], body[1], body[2]}, tagged);
        int[] withCls = Tokenizers.prependTags(t, t.encodeWithSpecials("ACGTT"), "<task=promoter>");
        assertArrayEquals(new int[] {t.cls(), 70, body[0], body[1], body[2], t.sep()}, withCls);
        assertEquals("ACGTT", t.decode(withCls));
        assertArrayEquals(t.encodeWithSpecials("ACGTT"), Tokenizers.stripTags(t, withCls));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.prependTags(body, "<species=hsap>"));
        assertTrue(e.getMessage().contains("<species=hsap>"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.prependTags(body, "ACG"));
    }

    @Test
    void badTagsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new KmerTokenizer(3, List.of("ACG")));
        assertThrows(IllegalArgumentException.class, () -> new KmerTokenizer(3, List.of("<a>", "<a>")));
        assertThrows(IllegalArgumentException.class, () -> new NucleotideTokenizer(List.of("<a b>")));
        assertThrows(IllegalArgumentException.class, () -> new NucleotideTokenizer(List.of("")));
    }

    @Test
    void saveAndLoadGiveTheSameTokenizer(@TempDir Path dir) throws IOException {
        Random rng = new Random(8);
        String s = RandomDna.random(700, rng) + "N".repeat(12) + RandomDna.random(300, rng);
        for (List<String> tags : List.of(List.<String>of(), TAGS)) {
            for (Tokenizer t : all(tags)) {
                Path file = dir.resolve(t.kind() + tags.size() + ".json");
                t.save(file);
                Tokenizer back = Tokenizers.load(file);
                assertEquals(t, back, t.kind());
                assertEquals(t.getClass(), back.getClass());
                assertEquals(t.vocabSize(), back.vocabSize());
                assertEquals(t.controlTags(), back.controlTags());
                for (int id = 0; id < t.vocabSize(); id++) assertEquals(t.token(id), back.token(id));
                assertArrayEquals(t.encodeWithSpecials(s), back.encodeWithSpecials(s), t.kind());
                t.save(file); // overwriting works
                assertEquals(t, Tokenizers.load(file));
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temp files left behind");
        }
        assertTrue(Files.readString(dir.resolve("kmer0.json")).contains("\"kind\" : \"kmer\""));
    }

    @Test
    void loadErrorsNameTheProblem(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("t.json");
        Files.writeString(f, "{\"kind\":\"wordpiece\"}");
        IOException e = assertThrows(IOException.class, () -> Tokenizers.load(f));
        assertTrue(e.getMessage().contains("wordpiece") && e.getMessage().contains(f.toString()), e.getMessage());
        Files.writeString(f, "not json");
        assertThrows(IOException.class, () -> Tokenizers.load(f));
        Files.writeString(f, "{\"kind\":\"bpe\",\"alphabet\":\"ACGT\",\"merges\":[\"A C\"],\"vocab\":[\"x\"]}");
        e = assertThrows(IOException.class, () -> Tokenizers.load(f));
        assertTrue(e.getMessage().contains("vocab"), e.getMessage());
        assertThrows(IOException.class, () -> Tokenizers.load(dir.resolve("missing.json")));
    }

    @Test
    void roundTripsForEveryTokenizer() {
        Random rng = new Random(10);
        for (Tokenizer t : all(TAGS)) {
            for (int trial = 0; trial < 30; trial++) {
                String s = RandomDna.random(6 + rng.nextInt(500), rng);
                assertEquals(s, t.decode(t.encodeWithSpecials(s)), t.kind());
                assertEquals(s, t.decode(t.encode(s.toLowerCase())), t.kind());
            }
        }
    }
}
