package dev.strand.genomics.tokenize;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the tokenizer of a Hugging Face model directory into a Strand {@link Tokenizer} that gives
 * the same ids as the original (DNABERT-2, GENA-LM, Nucleotide Transformer v1/v2), and that saves
 * itself in Strand's own form so that runs need no Hugging Face file afterwards.
 *
 * <ul>
 *   <li>{@code tokenizer.json} (the {@code tokenizers} library's file, when present): a BPE model,
 *       read into an {@link HfBpeTokenizer}. Special roles: unk is the model's unk_token; pad, cls,
 *       sep and mask come from special_tokens_map.json, else tokenizer_config.json, else the
 *       post-processor (cls, sep) or the padding settings (pad), else the usual names ({@code [PAD]}
 *       or {@code <pad>}, ...) when the vocabulary has them.
 *   <li>otherwise {@code vocab.txt} (one token a line, id = line number) with a
 *       tokenizer_config.json naming {@code EsmTokenizer}: read into an {@link HfKmerTokenizer}.
 *       Roles from special_tokens_map.json, else tokenizer_config.json, else EsmTokenizer's defaults
 *       ({@code <unk> <pad> <cls> <mask> <eos>}); an {@code eos_token} of null (as NT has) means
 *       nothing is appended after the sequence.
 * </ul>
 *
 * Anything it cannot reproduce faithfully (a WordPiece or Unigram model, an unknown normaliser, a
 * tokenizer class other than EsmTokenizer beside vocab.txt, ...) is an {@link IOException} whose
 * one-line message names the file and the unsupported thing.
 */
public final class HuggingFaceTokenizers {
    private HuggingFaceTokenizers() {}

    /** Fast tokenizer classes whose behaviour tokenizer.json alone defines. */
    private static final Set<String> FAST_CLASSES = Set.of("PreTrainedTokenizerFast", "BertTokenizerFast", "BertTokenizer");

    /** The tokenizer of the model directory {@code modelDir}. */
    public static Tokenizer read(Path modelDir) throws IOException {
        if (!Files.isDirectory(modelDir)) throw new IOException(modelDir + " is not a directory (expected a Hugging Face model directory)");
        Path json = modelDir.resolve("tokenizer.json"), vocab = modelDir.resolve("vocab.txt");
        if (Files.exists(json)) return readTokenizerJson(modelDir, json);
        if (Files.exists(vocab)) return readVocabTxt(modelDir, vocab);
        throw new IOException(modelDir + " has neither tokenizer.json nor vocab.txt: no Hugging Face tokenizer to read");
    }

    private static Tokenizer readTokenizerJson(Path dir, Path file) throws IOException {
        Roles roles = Roles.read(dir);
        if (roles.config != null && roles.config.hasNonNull("tokenizer_class")
                && !FAST_CLASSES.contains(roles.config.get("tokenizer_class").asText())) {
            throw new IOException(roles.configFile + ": tokenizer_class " + roles.config.get("tokenizer_class")
                    + " is not supported with tokenizer.json (Strand reads " + FAST_CLASSES + ")");
        }
        HfTokenizerJson.Parsed p;
        try {
            p = HfTokenizerJson.parse(readJson(file));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        String pad = roles.pick("pad_token", p.pad(), p.vocab(), file, "[PAD]", "<pad>");
        String cls = roles.pick("cls_token", p.cls(), p.vocab(), file, "[CLS]", "<cls>", "<s>");
        String sep = roles.pick("sep_token", p.sep(), p.vocab(), file, "[SEP]", "<eos>", "</s>");
        String mask = roles.pick("mask_token", null, p.vocab(), file, "[MASK]", "<mask>");
        var spec = new HfBpeTokenizer.Spec(p.vocab(), p.merges(), p.fuseUnk(), p.ignoreMerges(), p.addedTokens(),
                p.normalizer(), p.preTokenizer(), p.prefix(), p.suffix(), new SpecialNames(pad, p.unk(), cls, sep, mask));
        try {
            return new HfBpeTokenizer(spec, List.of());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static Tokenizer readVocabTxt(Path dir, Path file) throws IOException {
        Roles roles = Roles.read(dir);
        if (roles.config == null) {
            throw new IOException(roles.configFile + " is missing: beside vocab.txt it names the tokenizer class (Strand reads EsmTokenizer)");
        }
        String type = roles.config.path("tokenizer_class").asText("");
        if (!type.equals("EsmTokenizer")) {
            throw new IOException(roles.configFile + ": tokenizer_class \"" + type + "\" is not supported with vocab.txt (Strand reads EsmTokenizer)");
        }
        List<String> vocab = new ArrayList<>();
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        for (String line : text.split("\\R", -1)) vocab.add(line.strip());
        if (!vocab.isEmpty() && vocab.getLast().isEmpty()) vocab.removeLast(); // the final newline
        for (int i = 0; i < vocab.size(); i++) {
            if (vocab.get(i).isEmpty()) throw new IOException(file + ": line " + (i + 1) + " is empty");
        }
        String unk = roles.esm("unk_token", "<unk>", vocab, file, true);
        String cls = roles.esm("cls_token", "<cls>", vocab, file, true);
        String pad = roles.esm("pad_token", "<pad>", vocab, file, false);
        String mask = roles.esm("mask_token", "<mask>", vocab, file, false);
        String eos = roles.esm("eos_token", "<eos>", vocab, file, true);
        String sep = eos != null ? eos : vocab.contains("<eos>") ? "<eos>" : null;
        try {
            return new HfKmerTokenizer(vocab, new SpecialNames(pad, unk, cls, sep, mask), eos != null, List.of());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    static JsonNode readJson(Path file) throws IOException {
        try {
            return Tokenizers.JSON.readTree(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        } catch (JacksonException e) {
            throw new IOException(file + " is not JSON (" + e.getOriginalMessage() + ")", e);
        }
    }

    /** special_tokens_map.json and tokenizer_config.json (null where absent), which name the special tokens. */
    private record Roles(Path mapFile, JsonNode map, Path configFile, JsonNode config) {
        static Roles read(Path dir) throws IOException {
            Path mapFile = dir.resolve("special_tokens_map.json"), configFile = dir.resolve("tokenizer_config.json");
            return new Roles(mapFile, object(mapFile), configFile, object(configFile));
        }

        private static JsonNode object(Path file) throws IOException {
            if (!Files.exists(file)) return null;
            JsonNode n = readJson(file);
            if (n == null || !n.isObject()) throw new IOException(file + " is not a JSON object");
            return n;
        }

        /** The file that sets {@code key} (special_tokens_map.json first, as transformers reads them), or null. */
        Path source(String key) {
            if (map != null && map.has(key)) return mapFile;
            if (config != null && config.has(key)) return configFile;
            return null;
        }

        /** The token the file sets for {@code key} (null when it sets null), checked against the vocabulary. */
        String named(String key, List<String> vocab, Path vocabFile) throws IOException {
            Path source = source(key);
            JsonNode root = source == mapFile ? map : config;
            String token;
            try {
                token = HfTokenizerJson.tokenText(root.get(key));
            } catch (IllegalArgumentException e) {
                throw new IOException(source + ": " + key + ": " + e.getMessage(), e);
            }
            if (token != null && !vocab.contains(token)) {
                throw new IOException(source + ": " + key + " \"" + token + "\" is not in the vocabulary of " + vocabFile);
            }
            return token;
        }

        /** A BPE role: as the files name it, else {@code hint} (from tokenizer.json), else the first usual name present. */
        String pick(String key, String hint, List<String> vocab, Path vocabFile, String... usual) throws IOException {
            if (source(key) != null) return named(key, vocab, vocabFile);
            if (hint != null) return hint;
            for (String u : usual) if (vocab.contains(u)) return u;
            return null;
        }

        /** An EsmTokenizer role: as the files name it, else EsmTokenizer's default if present (required: refused if absent). */
        String esm(String key, String fallback, List<String> vocab, Path vocabFile, boolean required) throws IOException {
            if (source(key) != null) return named(key, vocab, vocabFile);
            if (vocab.contains(fallback)) return fallback;
            if (required) {
                throw new IOException(vocabFile + ": EsmTokenizer's default " + key + " \"" + fallback + "\" is not in it and "
                        + mapFile.getFileName() + " / " + configFile.getFileName() + " name no other");
            }
            return null;
        }
    }
}
