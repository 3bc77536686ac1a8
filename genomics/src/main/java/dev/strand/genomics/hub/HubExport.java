package dev.strand.genomics.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.genomics.train.PretrainedModel;
import dev.strand.nn.FeedForward;
import dev.strand.nn.attention.AttentionConfig;
import dev.strand.nn.checkpoint.AtomicFiles;
import dev.strand.nn.checkpoint.SafeTensors;
import dev.strand.nn.lora.ModuleNames;
import dev.strand.nn.transformer.Architecture;
import dev.strand.nn.transformer.BertModel;
import dev.strand.nn.transformer.Positions;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code strand export}: a masked language model as a Hugging Face-style directory ({@code
 * config.json}, {@code model.safetensors}, tokenizer files). An imported model goes back to its own
 * family, with its original config and tokenizer files; a model Strand trained itself (pre-LN, a
 * final norm, learned or rotary positions, GELU MLP, tied head: what {@code strand pretrain}
 * builds) is written in the ESM layout, the one family whose blocks are exactly these, with
 * {@code tie_word_embeddings} true. Its tokenizer is written as {@code vocab.txt} (one token a
 * line, in id order) beside {@code strand_tokenizer.json}, which says how Strand cuts DNA into them.
 */
public final class HubExport {
    static final String STRAND_TOKENIZER = "strand_tokenizer.json";
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private HubExport() {}

    /** What an export wrote. */
    public record Result(HubArchitecture family, Path dir, int tensors) {}

    /** Exports the newest checkpoint of {@code runDir} into the new directory {@code out}. */
    public static Result run(Path runDir, Path out) throws IOException {
        if (Files.exists(out) && (!Files.isDirectory(out) || HubImport.hasEntries(out))) {
            throw new IllegalArgumentException(out + " already exists and is not empty; export into a new directory");
        }
        PretrainedModel saved = PretrainedModel.open(runDir);
        if (saved.objective() != PretrainedModel.Objective.MLM) throw new IllegalArgumentException(runDir + " holds a causal model; export writes masked language models");
        Path run = saved.checkpoint().toAbsolutePath().getParent();
        JsonNode recorded = HubImport.record(run);
        HubConfig config = recorded != null ? new HubConfig(out.resolve(HubConfig.FILE), recorded.get("hf_config"))
                : new HubConfig(out.resolve(HubConfig.FILE), esmConfig(saved.config(), saved.tokenizer(), runDir));
        HubArchitecture family = HubArchitecture.detect(config);
        BertModel model = saved.loadBert();
        ModuleNames names = saved.config().architecture().withNames(family.names(config)).moduleNames();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.namedParameters().forEach((name, p) -> tensors.put(names.toOther(name), family.restore(name, p.data(), config)));

        AtomicFiles.writeDirectory(out, dir -> {
            SafeTensors.write(dir.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
            AtomicFiles.write(dir.resolve(HubConfig.FILE), JSON.writeValueAsBytes(config.json()));
            if (recorded != null) {
                HubImport.copyTokenizerFiles(run.resolve(HubImport.ORIGINAL_TOKENIZER), dir);
            } else {
                writeVocabulary(saved.tokenizer(), dir);
            }
        });
        return new Result(family, out, tensors.size());
    }

    /** The ESM config.json of a model Strand trained, or a refusal naming what ESM cannot hold. */
    static ObjectNode esmConfig(TransformerConfig c, Tokenizer tokenizer, Path runDir) {
        Architecture a = c.architecture();
        String why = !c.preNorm() ? "post-LN blocks" : a.embeddingNorm() ? "a norm on the embeddings" : !a.finalNorm() ? "no final norm"
                : a.ffn() != FeedForward.Kind.GELU || !a.ffnInputBias() || !a.ffnOutputBias() ? "a " + a.ffn() + " MLP" : a.fusedQkv() ? "a fused QKV projection"
                : a.tokenTypes() > 0 ? "token types" : c.positions() != Positions.LEARNED && c.positions() != Positions.ROPE ? c.positions() + " positions"
                : !(c.attention() instanceof AttentionConfig.Dense) ? "sparse attention" : c.memory() != null ? "recurrent memory" : null;
        if (why != null) {
            throw new IllegalArgumentException(runDir + " has " + why + "; export writes Strand's own models in the ESM layout (pre-LN, final norm, "
                    + "learned or rotary positions, GELU MLP), and imported models in their own family's");
        }
        ObjectNode j = JSON.createObjectNode();
        j.putArray("architectures").add("EsmForMaskedLM");
        j.put("model_type", "esm");
        j.put("vocab_size", c.vocabSize());
        j.put("hidden_size", c.dim());
        j.put("num_hidden_layers", c.layers());
        j.put("num_attention_heads", c.heads());
        j.put("intermediate_size", c.ffnDim());
        boolean rotary = c.positions() == Positions.ROPE;
        j.put("position_embedding_type", rotary ? "rotary" : "absolute");
        // ESM counts positions from pad + 1 (RoBERTa's convention): the table has that many rows more.
        j.put("max_position_embeddings", rotary ? c.maxLength() : c.maxLength() + tokenizer.pad() + 1);
        j.put("pad_token_id", tokenizer.pad());
        j.put("mask_token_id", tokenizer.mask());
        j.put("cls_token_id", tokenizer.cls());
        j.put("layer_norm_eps", c.layerNormEps());
        j.put("hidden_dropout_prob", c.dropout());
        j.put("attention_probs_dropout_prob", c.dropout());
        j.put("emb_layer_norm_before", false);
        j.put("token_dropout", a.tokenDropoutId() >= 0);
        j.put("tie_word_embeddings", a.tiedOutput());
        j.put("torch_dtype", "float32");
        j.put("strand_tokenizer", tokenizer.kind());
        return j;
    }

    /** vocab.txt in id order, the special tokens' names, and Strand's own tokenizer file. */
    private static void writeVocabulary(Tokenizer tokenizer, Path out) throws IOException {
        StringBuilder vocab = new StringBuilder();
        for (int id = 0; id < tokenizer.vocabSize(); id++) vocab.append(tokenizer.token(id)).append('\n');
        AtomicFiles.write(out.resolve("vocab.txt"), vocab.toString().getBytes(StandardCharsets.UTF_8));
        ObjectNode specials = JSON.createObjectNode();
        specials.put("pad_token", tokenizer.token(tokenizer.pad()));
        specials.put("unk_token", tokenizer.token(tokenizer.unk()));
        specials.put("cls_token", tokenizer.token(tokenizer.cls()));
        if (tokenizer.sep() >= 0) specials.put("sep_token", tokenizer.token(tokenizer.sep()));
        specials.put("mask_token", tokenizer.token(tokenizer.mask()));
        AtomicFiles.write(out.resolve("special_tokens_map.json"), JSON.writeValueAsBytes(specials));
        tokenizer.save(out.resolve(STRAND_TOKENIZER));
    }
}
