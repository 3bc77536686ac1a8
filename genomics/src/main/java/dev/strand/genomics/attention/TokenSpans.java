package dev.strand.genomics.attention;

import dev.strand.genomics.tokenize.BpeTokenizer;
import dev.strand.genomics.tokenize.KmerTokenizer;
import dev.strand.genomics.tokenize.Tokenizer;
import java.util.Arrays;

/**
 * Which bases each token of a sequence covers. {@code ids} is the model input
 * ({@link Tokenizer#encodeWithSpecials}); its DNA tokens are {@code ids[first] … ids[first + count()
 * − 1]} and DNA token j covers the bases [{@link #start}(j), {@link #end}(j)) of the sequence
 * (0-based, end exclusive).
 *
 * <p>Overlapping k-mers (DNABERT) cover [j, j + k); every other tokenizer cuts the sequence into
 * consecutive pieces: one base per nucleotide token, six per Nucleotide Transformer 6-mer, a BPE
 * token's own length, one base for an unknown token, and the whole run of N for a BPE gap token.
 */
public final class TokenSpans {
    private final int[] ids;
    private final int first;
    private final int[] start, end;

    private TokenSpans(int[] ids, int first, int[] start, int[] end) {
        this.ids = ids;
        this.first = first;
        this.start = start;
        this.end = end;
    }

    /** Tokenizes {@code sequence} with specials and maps every DNA token to its bases. */
    public static TokenSpans of(Tokenizer tokenizer, String sequence) {
        int[] ids = tokenizer.encodeWithSpecials(sequence);
        int[] body = tokenizer.encode(sequence);
        int first = ids.length > 0 && ids[0] == tokenizer.cls() ? 1 : 0;
        if (ids.length < first + body.length || !Arrays.equals(body, Arrays.copyOfRange(ids, first, first + body.length))) {
            throw new IllegalStateException(tokenizer.kind() + " tokenizer: the input with specials does not hold the DNA tokens after [CLS]");
        }
        int n = body.length;
        int[] start = new int[n], end = new int[n];
        if (tokenizer instanceof KmerTokenizer kmers) {
            for (int j = 0; j < n; j++) {
                start[j] = j;
                end[j] = j + kmers.k();
            }
        } else {
            int pos = 0;
            for (int j = 0; j < n; j++) {
                start[j] = pos;
                pos += length(tokenizer, body[j], sequence, pos);
                end[j] = pos;
            }
            if (pos != sequence.length()) {
                throw new IllegalStateException(tokenizer.kind() + " tokens cover " + pos + " bases of a " + sequence.length() + "-base sequence");
            }
        }
        return new TokenSpans(ids, first, start, end);
    }

    /** Bases covered by a token of a concatenating tokenizer that starts at {@code pos}. */
    private static int length(Tokenizer tokenizer, int id, String sequence, int pos) {
        if (id == tokenizer.unk()) return 1;
        if (tokenizer instanceof BpeTokenizer && id == BpeTokenizer.GAP) {
            int p = pos;
            while (p < sequence.length() && Character.toUpperCase(sequence.charAt(p)) == 'N') p++;
            return Math.max(1, p - pos);   // a gap token for a '-' covers that one character
        }
        return tokenizer.decode(new int[] {id}).length();
    }

    /** The model input, with specials. */
    public int[] ids() {
        return ids.clone();
    }

    /** Length of the model input, with specials. */
    public int length() {
        return ids.length;
    }

    /** Index in {@link #ids} of the first DNA token. */
    public int first() {
        return first;
    }

    /** Number of DNA tokens. */
    public int count() {
        return start.length;
    }

    /** First base of DNA token j (0-based). */
    public int start(int j) {
        return start[j];
    }

    /** One past the last base of DNA token j. */
    public int end(int j) {
        return end[j];
    }
}
