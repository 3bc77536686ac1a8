package dev.strand.genomics.generate;

import dev.strand.genomics.io.Bases;
import dev.strand.genomics.tokenize.KmerTokenizer;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.genomics.tokenize.Tokenizers;
import dev.strand.nn.generate.Sampler;
import dev.strand.nn.transformer.GptModel;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Samples DNA from a causal model, conditioned on control tags (ProGen/CTRL) and an optional
 * prompt, with the KV cache: the model sees {@code [CLS] tags… prompt-tokens}, as in pretraining,
 * and each step feeds only the newest token of every sample.
 *
 * <p>Only DNA can come out: at each step the tokens that are not made of A/C/G/T (specials, tags,
 * N and ambiguity codes) get probability zero before the {@link Sampler} picks; for overlapping
 * k-mers, so do the k-mers that do not overlap the previous one by k−1 bases, so the tokens always
 * spell one sequence. All samples are drawn as one batch from one seeded {@link Generator}, in
 * order: the same model, settings and seed give the same samples.
 */
public final class DnaGenerator {
    /**
     * What to sample.
     *
     * @param tags    control tags, e.g. {@code <species=dmel>} (each a tag of the model's tokenizer)
     * @param prompt  bases the samples start with (may be empty)
     * @param length  new bases per sample, after the prompt
     * @param count   samples
     * @param sampler temperature, top-k and top-p
     * @param seed    seed of the sampling
     */
    public record Settings(List<String> tags, String prompt, int length, int count, Sampler sampler, long seed) {
        public Settings {
            tags = List.copyOf(tags);
            prompt = prompt.toUpperCase(Locale.ROOT);
            if (Bases.containsNonAcgt(prompt)) throw new IllegalArgumentException("prompt '" + prompt + "' must hold only A, C, G and T");
            if (length < 1 || count < 1) throw new IllegalArgumentException("length and count must be positive, got " + length + " and " + count);
        }
    }

    /** One sample: its number (1-based) and bases (the prompt, then {@code length} new bases). */
    public record Sample(int number, String sequence) {}

    /** Told how many new bases the slowest sample has. */
    public interface Listener {
        void progress(int bases, int total);
    }

    private final GptModel model;
    private final Tokenizer tokenizer;
    private final boolean[] dna;          // ids whose token is made of A/C/G/T only

    public DnaGenerator(GptModel model, Tokenizer tokenizer) {
        if (tokenizer.vocabSize() != model.config.vocabSize()) {
            throw new IllegalArgumentException("tokenizer of " + tokenizer.vocabSize() + " ids does not fit a model of " + model.config.vocabSize());
        }
        this.model = model;
        this.tokenizer = tokenizer;
        this.dna = new boolean[tokenizer.vocabSize()];
        for (int id = 0; id < dna.length; id++) {
            String t = tokenizer.token(id);
            dna[id] = !tokenizer.isSpecial(id) && id != tokenizer.pad() && !t.isEmpty() && !Bases.containsNonAcgt(t);
        }
    }

    /** Draws {@code settings.count()} samples; {@code listener} may be null. */
    public List<Sample> generate(Settings settings, Listener listener) {
        int k = tokenizer instanceof KmerTokenizer km ? km.k() : 0;
        String prompt = settings.prompt();
        if (k > 0 && !prompt.isEmpty() && prompt.length() < k) {
            throw new IllegalArgumentException("a " + k + "-mer model needs a prompt of at least " + k + " bases (or none), got " + prompt.length());
        }
        int[] promptIds = tokenizer.encode(prompt);
        int[] prefix = new int[promptIds.length + 1];
        prefix[0] = tokenizer.cls();
        System.arraycopy(promptIds, 0, prefix, 1, promptIds.length);
        prefix = Tokenizers.prependTags(tokenizer, prefix, settings.tags().toArray(String[]::new));

        int n = settings.count(), vocab = tokenizer.vocabSize();
        StringBuilder[] bases = new StringBuilder[n];
        int[] last = new int[n];                                  // each sample's newest DNA token, -1 before the first
        for (int i = 0; i < n; i++) {
            bases[i] = new StringBuilder();
            last[i] = promptIds.length > 0 ? promptIds[promptIds.length - 1] : -1;
        }
        Generator gen = new Generator(settings.seed());
        int max = model.config.maxLength();
        boolean bounded = model.config.limitsInputLength();
        int[] fed = {prefix.length};                              // positions fed so far
        if (bounded && fed[0] > max) throw tooLong(max, 0);
        int[] feed = new int[n * prefix.length];
        for (int i = 0; i < n; i++) System.arraycopy(prefix, 0, feed, i * prefix.length, prefix.length);
        boolean wasTraining = model.isTraining();
        model.eval();
        try {
            model.decode(Tensor.ofInts(feed, n, prefix.length), true, logits -> {              // logits [K, V]
                float[] all = logits.contiguous().toFloatArray();
                int[] picked = new int[n];
                for (int i = 0; i < n; i++) {
                    float[] row = Arrays.copyOfRange(all, i * vocab, (i + 1) * vocab);
                    allowOnlyDna(row, last[i], k);
                    int id = settings.sampler().next(Tensor.of(row, vocab), gen);
                    picked[i] = id;
                    String token = tokenizer.token(id);
                    bases[i].append(k > 0 && last[i] >= 0 ? token.substring(k - 1) : token);
                    last[i] = id;
                }
                if (listener != null) listener.progress(Math.min(shortest(bases), settings.length()), settings.length());
                if (shortest(bases) >= settings.length()) return null;
                if (bounded && ++fed[0] > max) throw tooLong(max, shortest(bases));
                return picked;                                                                  // fed next as [K, 1]
            });
        } finally {
            model.train(wasTraining);
        }
        List<Sample> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(new Sample(i + 1, prompt + bases[i].substring(0, settings.length())));
        return out;
    }

    private static IllegalArgumentException tooLong(int max, int bases) {
        return new IllegalArgumentException("this model's positions stop at " + max + " tokens, reached after "
                + bases + " new bases; ask for a shorter --length");
    }

    /** Sets the logits of tokens that may not come next to −∞. */
    private void allowOnlyDna(float[] logits, int previous, int k) {
        String overlap = k > 0 && previous >= 0 ? tokenizer.token(previous).substring(1) : null;
        for (int id = 0; id < logits.length; id++) {
            boolean ok = dna[id] && (overlap == null || tokenizer.token(id).startsWith(overlap));
            if (!ok) logits[id] = Float.NEGATIVE_INFINITY;
        }
    }

    private static int shortest(StringBuilder[] bases) {
        int min = Integer.MAX_VALUE;
        for (StringBuilder b : bases) min = Math.min(min, b.length());
        return min;
    }

    /**
     * The samples as FASTA (60 bases a line); each header records the tags and sampling settings:
     * {@code >sample-1 tags=<species=dmel> prompt=ACGT length=200 temperature=1.0 top_k=0 top_p=1.0 seed=1 model=…}.
     */
    public static String fasta(List<Sample> samples, Settings settings, String model) {
        StringBuilder sb = new StringBuilder();
        Sampler s = settings.sampler();
        String header = String.format(Locale.ROOT, "tags=%s prompt=%s length=%d temperature=%s top_k=%d top_p=%s seed=%d model=%s",
                settings.tags().isEmpty() ? "none" : String.join(",", settings.tags()), settings.prompt().isEmpty() ? "none" : settings.prompt(),
                settings.length(), s.temperature(), s.topK(), s.topP(), settings.seed(), model);
        for (Sample sample : samples) {
            sb.append(">sample-").append(sample.number()).append(' ').append(header).append('\n');
            String seq = sample.sequence();
            for (int i = 0; i < seq.length(); i += 60) sb.append(seq, i, Math.min(seq.length(), i + 60)).append('\n');
        }
        return sb.toString();
    }
}
