package dev.strand.genomics.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strand.nn.transformer.TransformerConfig;

/** A transformer config as JSON text: how a data-parallel replica's recipe carries it (records travel as text, not Java serialisation). */
final class ConfigText {
    private ConfigText() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    static String of(TransformerConfig c) {
        try {
            return JSON.writeValueAsString(c);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a transformer config that Jackson cannot write: " + c, e);
        }
    }

    static TransformerConfig read(String json) {
        try {
            return JSON.readValue(json, TransformerConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a replica's config is not a transformer config: " + json, e);
        }
    }
}
