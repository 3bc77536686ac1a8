package dev.strand.genomics.hub;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A Hugging Face {@code config.json}, with getters whose errors name the file and the field.
 *
 * @param file where it was read
 * @param json its contents
 */
public record HubConfig(Path file, JsonNode json) {
    static final String FILE = "config.json";

    /** Reads {@code dir/config.json}. */
    public static HubConfig read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(dir + " has no " + FILE + ": expected a Hugging Face model directory");
        }
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(text);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(file + " is not JSON: " + e.getOriginalMessage());
        }
        if (json == null || !json.isObject()) throw new IllegalArgumentException(file + " does not hold a JSON object");
        return new HubConfig(file, json);
    }

    public boolean has(String field) {
        return json.hasNonNull(field);
    }

    /** A positive integer field. */
    public int size(String field) {
        JsonNode n = json.get(field);
        if (n == null || !n.canConvertToInt() || n.asInt() <= 0) throw bad(field, "a positive integer");
        return n.asInt();
    }

    public int integer(String field, int fallback) {
        JsonNode n = json.get(field);
        if (n == null || n.isNull()) return fallback;
        if (!n.canConvertToInt()) throw bad(field, "an integer");
        return n.asInt();
    }

    public double number(String field, double fallback) {
        JsonNode n = json.get(field);
        if (n == null || n.isNull()) return fallback;
        if (!n.isNumber()) throw bad(field, "a number");
        return n.asDouble();
    }

    public boolean flag(String field, boolean fallback) {
        JsonNode n = json.get(field);
        if (n == null || n.isNull()) return fallback;
        if (!n.isBoolean()) throw bad(field, "true or false");
        return n.asBoolean();
    }

    public String text(String field, String fallback) {
        JsonNode n = json.get(field);
        if (n == null || n.isNull()) return fallback;
        if (!n.isTextual()) throw bad(field, "a string");
        return n.asText();
    }

    /** A nested object, as a config of its own (errors still name this file). */
    public HubConfig object(String field) {
        JsonNode n = json.get(field);
        if (n == null || !n.isObject()) throw bad(field, "an object");
        return new HubConfig(file, n);
    }

    /** Refuses a field whose value Strand cannot reproduce. */
    void require(String field, String wanted, String fallback) {
        String v = text(field, fallback);
        if (!wanted.equals(v)) {
            throw new IllegalArgumentException(file + ": \"" + field + "\" is \"" + v + "\"; Strand imports this architecture only with \"" + wanted + "\"");
        }
    }

    private IllegalArgumentException bad(String field, String what) {
        JsonNode n = json.get(field);
        return new IllegalArgumentException(file + ": \"" + field + "\" must be " + what + ", got " + (n == null ? "nothing" : n.toString()));
    }
}
