package dev.strand.genomics.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.strand.genomics.tokenize.HuggingFaceTokenizers;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.genomics.tokenize.Tokenizers;
import dev.strand.genomics.train.PretrainedModel;
import dev.strand.nn.checkpoint.AtomicFiles;
import dev.strand.nn.checkpoint.Checkpoint;
import dev.strand.nn.lora.ModuleNames;
import dev.strand.nn.transformer.BertModel;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.DType;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code strand import}: a Hugging Face model directory (config, tokenizer files, weights) becomes a
 * Strand run directory, which every command that takes a pretrained model accepts:
 * {@code tokenizer.json}, {@code objective}, one checkpoint {@code step-0000000/} and
 * {@code imported.json} saying where it came from. Nothing is guessed: a missing tensor, one whose
 * shape does not fit, or a field Strand cannot reproduce stops the import with one line naming it.
 */
public final class HubImport {
    static final String RECORD = "imported.json";
    /** The run directory's copy of the original tokenizer files, which an export writes back. */
    static final String ORIGINAL_TOKENIZER = "hf-tokenizer";
    static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json",
            HubExport.STRAND_TOKENIZER);

    private HubImport() {}

    /** A family's model with a directory's weights, before any tokenizer is read. */
    public record Loaded(HubArchitecture architecture, HubConfig source, TransformerConfig config, BertModel model,
                         List<Path> weightFiles, List<String> unused, List<String> notes) {}

    /**
     * What an import wrote.
     *
     * @param unused checkpoint tensors Strand's model has no use for (buffers, poolers, tied aliases)
     * @param notes  what the user should know about the imported model
     */
    public record Result(HubArchitecture architecture, Path runDir, TransformerConfig config, Tokenizer tokenizer, long parameters,
                         List<Path> weightFiles, List<String> unused, List<String> notes) {}

    /** Imports {@code dir} into the new run directory {@code out}, reading its preferred weight file. */
    public static Result run(Path dir, Path out) throws IOException {
        HubArchitecture.detect(HubConfig.read(dir));   // what the directory is, before which weights it has
        return run(dir, HubWeights.find(dir), out);
    }

    /** Imports {@code dir} with the weights of {@code weights} (a file in it, or a shard index). */
    public static Result run(Path dir, Path weights, Path out) throws IOException {
        if (Files.exists(out) && (!Files.isDirectory(out) || hasEntries(out))) {
            throw new IllegalArgumentException(out + " already exists and is not empty; import into a new directory");
        }
        Loaded loaded = load(dir, weights);
        Tokenizer tokenizer = tokenizer(dir);
        if (tokenizer.vocabSize() != loaded.config().vocabSize()) {
            throw new IllegalArgumentException(dir + ": the tokenizer has " + tokenizer.vocabSize() + " tokens but config.json's vocab_size is "
                    + loaded.config().vocabSize() + "; they do not belong together");
        }
        AtomicFiles.writeDirectory(out, run -> {
            Checkpoint.save(run, 0, loaded.model(), loaded.config(), null, Map.of());
            PretrainedModel.describe(run, tokenizer, PretrainedModel.Objective.MLM);
            copyTokenizerFiles(dir, Files.createDirectories(run.resolve(ORIGINAL_TOKENIZER)));
            AtomicFiles.write(run.resolve(RECORD), record(dir, loaded));
        });
        return new Result(loaded.architecture(), out, loaded.config(), tokenizer, loaded.model().parameterCount(), loaded.weightFiles(), loaded.unused(),
                loaded.notes());
    }

    /** Reads {@code dir}'s config and the weights of {@code weights} into Strand's model of its family. */
    public static Loaded load(Path dir, Path weights) throws IOException {
        HubConfig source = HubConfig.read(dir);
        HubArchitecture architecture = HubArchitecture.detect(source);
        TransformerConfig config = architecture.config(source);
        BertModel model = new BertModel(config, new Generator(0));
        HubWeights.Loaded file = HubWeights.readFile(weights);
        ModuleNames names = config.architecture().moduleNames();
        Set<String> unused = new LinkedHashSet<>(file.tensors().keySet());
        String where = file.files().size() == 1 ? file.files().get(0).toString() : weights + "'s shards";
        for (var e : model.namedParameters().entrySet()) {
            String original = names.toOther(e.getKey());
            Tensor t = file.tensors().get(original);
            if (t == null) {
                throw new IllegalArgumentException(where + " has no tensor " + original + " (Strand's " + e.getKey() + "), which a "
                        + architecture.title + " model of this config.json needs");
            }
            unused.remove(original);
            if (t.dtype() != DType.FLOAT32) throw new IllegalArgumentException(where + ": " + original + " holds integers, not weights");
            Tensor fitted = architecture.adapt(e.getKey(), t, source);
            if (!Arrays.equals(fitted.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException(where + ": " + original + " is " + Arrays.toString(t.shape()) + " but config.json makes it "
                        + Arrays.toString(e.getValue().shape()) + " (Strand's " + e.getKey() + ")");
            }
            e.getValue().data().copyFrom(fitted);
        }
        architecture.check(file.tensors(), config, where);
        List<String> notes = architecture.loadBuffers(model, file.tensors(), unused, where);
        return new Loaded(architecture, source, config, model, file.files(), List.copyOf(unused), notes);
    }

    /** imported.json: the source, the family, the files read, what was left unused, and the original config. */
    private static byte[] record(Path dir, Loaded loaded) throws IOException {
        JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        ObjectNode root = json.createObjectNode();
        root.put("source", dir.toAbsolutePath().toString());
        root.put("architecture", loaded.architecture().name());
        root.put("title", loaded.architecture().title);
        ArrayNode files = root.putArray("weight_files");
        loaded.weightFiles().forEach(f -> files.add(f.getFileName().toString()));
        ArrayNode unused = root.putArray("unused_tensors");
        loaded.unused().forEach(unused::add);
        root.set("hf_config", loaded.source().json());
        return json.writeValueAsBytes(root);
    }

    /** A directory Strand exported holds its own tokenizer file; any other, Hugging Face's. */
    private static Tokenizer tokenizer(Path dir) throws IOException {
        Path strand = dir.resolve(HubExport.STRAND_TOKENIZER);
        return Files.exists(strand) ? Tokenizers.load(strand) : HuggingFaceTokenizers.read(dir);
    }

    /** Copies whichever tokenizer files {@code from} has into {@code to}. */
    static void copyTokenizerFiles(Path from, Path to) throws IOException {
        for (String name : TOKENIZER_FILES) {
            Path f = from.resolve(name);
            if (Files.isRegularFile(f)) AtomicFiles.write(to.resolve(name), Files.readAllBytes(f));
        }
    }

    static boolean hasEntries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isPresent();
        }
    }

    /** What an import recorded in {@code runDir} (source, family, original config), or null for a run Strand trained itself. */
    public static JsonNode record(Path runDir) throws IOException {
        Path f = runDir.resolve(RECORD);
        return Files.exists(f) ? new ObjectMapper().readTree(Files.readString(f)) : null;
    }
}
