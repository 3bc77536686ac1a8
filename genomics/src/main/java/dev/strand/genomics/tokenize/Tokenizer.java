package dev.strand.genomics.tokenize;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns DNA into token ids and back. Every tokenizer has the special tokens [PAD], [UNK], [CLS],
 * [SEP] and [MASK] (at ids its reference model uses), may define control tags such as
 * {@code <species=dmel>}, and saves itself to a file that {@link Tokenizers#load} reads back.
 */
public interface Tokenizer {
    /** A short name of the scheme: "nucleotide", "kmer", "nt6", "bpe", "hf-bpe", "hf-kmer". */
    String kind();

    /** Number of ids: every id is in [0, vocabSize()). */
    int vocabSize();

    /** Ids of the bases of {@code sequence} (no [CLS]/[SEP]); case-insensitive, soft-masked lowercase kept as the base. */
    int[] encode(String sequence);

    /** [CLS] + encode(sequence) + [SEP], as the reference models feed sequences. */
    default int[] encodeWithSpecials(String sequence) {
        int[] body = encode(sequence);
        int[] out = new int[body.length + 2];
        out[0] = cls();
        System.arraycopy(body, 0, out, 1, body.length);
        out[out.length - 1] = sep();
        return out;
    }

    /** The bases the ids stand for; special tokens and control tags are skipped. */
    String decode(int[] ids);

    /** The text of one token ("[CLS]", "ACGTAC", "<species=dmel>"). */
    String token(int id);

    /** The id of a token's text, or {@link #unk()} if it is not in the vocabulary. */
    int id(String token);

    int pad();

    int unk();

    int cls();

    int sep();

    int mask();

    /** True for [PAD], [UNK], [CLS], [SEP], [MASK] and control tags: ids MLM never masks or predicts as DNA. */
    boolean isSpecial(int id);

    /** Control tags known to this tokenizer, e.g. {@code <species=dmel>}. */
    List<String> controlTags();

    /** Writes this tokenizer (vocabulary, merges, tags) to {@code file} atomically. */
    void save(Path file) throws IOException;

    /** How many bases a token covers on average for the ids given, for bits-per-base conversions. */
    default double basesPerToken(int[] ids) {
        long bases = 0, tokens = 0;
        for (int id : ids) {
            if (isSpecial(id)) continue;
            bases += decode(new int[] {id}).length();
            tokens++;
        }
        return tokens == 0 ? 0 : (double) bases / tokens;
    }
}
