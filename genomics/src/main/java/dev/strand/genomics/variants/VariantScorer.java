package dev.strand.genomics.variants;

import dev.strand.autograd.GradMode;
import dev.strand.genomics.io.Bases;
import dev.strand.genomics.io.Genome;
import dev.strand.genomics.io.VariantCheck;
import dev.strand.genomics.io.VcfVariant;
import dev.strand.genomics.metrics.ClassificationMetrics;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.genomics.tokenize.Tokenizers;
import dev.strand.genomics.train.LanguageModelPretraining;
import dev.strand.genomics.data.LabelledDataset;
import dev.strand.genomics.train.FineTunedModel;
import dev.strand.genomics.train.HeadSpec;
import dev.strand.genomics.train.PretrainedModel;
import dev.strand.genomics.train.PretrainedModel.Objective;
import dev.strand.genomics.variants.VariantScore.Origin;
import dev.strand.genomics.variants.VariantScore.Status;
import dev.strand.nn.Module;
import dev.strand.nn.transformer.BertModel;
import dev.strand.nn.transformer.GptModel;
import dev.strand.nn.transformer.SequenceModel;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Generator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Variant-effect scores from a window of the reference genome centred on each variant
 * ({@link VariantWindow}). With a pretrained DNA language model they are zero-shot (SPECS §7,
 * ESM-1v adapted to DNA): each ALT allele gets a log-likelihood ratio, alt over ref, in nats:
 * <ul>
 *   <li>masked models with single-nucleotide, non-overlapping 6-mer or overlapping k-mer tokens:
 *       the masked marginal ({@link ScoringMethod#MASKED_MARGINAL}); indels are skipped;</li>
 *   <li>masked models with BPE tokens: the pseudo-log-likelihood difference of the two windows
 *       ({@link ScoringMethod#PSEUDO_LIKELIHOOD}), indels included;</li>
 *   <li>causal models: log P(alt window) − log P(ref window) ({@link ScoringMethod#CAUSAL_LIKELIHOOD}),
 *       indels included.</li>
 * </ul>
 * With a fine-tuned sequence model ({@link #open(FineTunedModel, String)}) each allele gets the
 * change in the model's prediction, alt minus ref ({@link ScoringMethod#PREDICTION_CHANGE}, as
 * DNABERT scores functional variants with its fine-tuned models).
 * Nothing is dropped silently: every ALT of every variant is a row of the result, scored or with
 * the reason it was not (REF differing from the genome, unknown contig, symbolic or ambiguous
 * allele, indel under a masked marginal …). With {@link Settings#controls} each real SNV position
 * also gets one random other substitution (seeded), and the result reports the AUROC of real
 * against random scores: real variants, having survived selection, should look more likely.
 */
public final class VariantScorer {
    /** Longest default window, in bases. */
    public static final int DEFAULT_WINDOW = 256;

    /**
     * How to score.
     *
     * @param window   window length in bases; 0 for the longest the model takes, at most {@value #DEFAULT_WINDOW}
     * @param batch    sequences per forward pass
     * @param tags     control tags put in front of every window (e.g. {@code <species=hsap>}); may be empty
     * @param controls also score one random substitution at each real SNV's position
     * @param seed     seed of the control substitutions
     */
    public record Settings(int window, int batch, List<String> tags, boolean controls, long seed) {
        public Settings {
            if (window < 0) throw new IllegalArgumentException("window must be positive (or 0 for the model's own), got " + window);
            if (batch < 1) throw new IllegalArgumentException("batch must be positive, got " + batch);
            tags = List.copyOf(tags);
        }

        /** The model's own window, batches of 32, no tags, no controls. */
        public static Settings defaults() {
            return new Settings(0, 32, List.of(), false, 1);
        }
    }

    /** Told how many forward-pass rows are done out of how many. */
    public interface Listener {
        void progress(long done, long total);
    }

    /**
     * Scores and what they add up to.
     *
     * @param scores       one row per ALT allele (real ones in input order, each position's control after its real rows)
     * @param method       the method scored alleles used
     * @param windowBases  window length used
     * @param controlAuroc AUROC of real SNV scores against their controls' (NaN without controls)
     */
    public record Result(List<VariantScore> scores, ScoringMethod method, int windowBases, double controlAuroc) {
        /** Rows of real alleles with this status. */
        public long count(Status status) {
            return scores.stream().filter(s -> s.origin() == Origin.REAL && s.status() == status).count();
        }

        /** Control rows scored. */
        public long controlsScored() {
            return scores.stream().filter(s -> s.origin() == Origin.CONTROL && s.scored()).count();
        }
    }

    private final Module model;
    private final Tokenizer tokenizer;
    private final TransformerConfig config;
    private final ScoringMethod method;
    private final IntFunction<AlleleScorer> scorerForBatch;
    private final int longestDefaultWindow;

    private VariantScorer(Module model, Tokenizer tokenizer, TransformerConfig config, ScoringMethod method,
                          IntFunction<AlleleScorer> scorerForBatch, int longestDefaultWindow) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.config = config;
        this.method = method;
        this.scorerForBatch = scorerForBatch;
        this.longestDefaultWindow = longestDefaultWindow;
    }

    /** A zero-shot scorer for a {@link BertModel} or {@link GptModel} and the tokenizer it was trained with. */
    public static VariantScorer of(Module model, Tokenizer tokenizer) {
        return switch (model) {
            case BertModel b -> {
                ScoringMethod m = ScoringMethod.of(Objective.MLM, tokenizer.kind());
                yield new VariantScorer(b, tokenizer, b.config, m, batch -> m == ScoringMethod.MASKED_MARGINAL
                        ? new MaskedMarginalScorer(b, tokenizer, batch) : new PseudoLikelihoodScorer(b, tokenizer, batch), DEFAULT_WINDOW);
            }
            case GptModel g -> new VariantScorer(g, tokenizer, g.config, ScoringMethod.CAUSAL_LIKELIHOOD,
                    batch -> new CausalLikelihoodScorer(g, tokenizer, batch), DEFAULT_WINDOW);
            default -> throw new IllegalArgumentException("zero-shot variant scoring needs a BertModel or GptModel, not " + model.getClass().getSimpleName());
        };
    }

    /** A zero-shot scorer for a pretrained run (see {@link PretrainedModel#open}), with its adapter if it has one. */
    public static VariantScorer open(PretrainedModel pretrained) throws IOException {
        return of(pretrained.objective() == Objective.MLM ? pretrained.loadBert() : pretrained.loadGpt(), pretrained.tokenizer());
    }

    /**
     * A scorer by the change in a fine-tuned model's prediction: the log-odds of class
     * {@code output} for a classifier, predicted target {@code output} for regression; null picks
     * the last class (a binary task's positive one) or the first target. Its default window is the
     * longest the model takes, the length it was fine-tuned on.
     *
     * @throws IllegalArgumentException naming the head's classes or targets if {@code output} is none of them
     */
    public static VariantScorer open(FineTunedModel fineTuned, String output) throws IOException {
        HeadSpec head = fineTuned.head();
        boolean classifier = head.taskKind() == LabelledDataset.Task.CLASSIFICATION;
        int index = output == null ? (classifier ? head.outputs() - 1 : 0) : head.labels().indexOf(output);
        if (index < 0) {
            throw new IllegalArgumentException("the model predicts " + (classifier ? "classes " : "targets ") + head.labels() + ", not '" + output + "'");
        }
        return ofPredictions(fineTuned.load(), fineTuned.tokenizer(), index, classifier);
    }

    /**
     * A scorer by the change in {@code model}'s output {@code output}: a class's log-odds when
     * {@code classifier}, else the raw output (a regression target).
     */
    public static VariantScorer ofPredictions(SequenceModel model, Tokenizer tokenizer, int output, boolean classifier) {
        int outputs = model.head.output.outFeatures;
        if (output < 0 || output >= outputs) throw new IllegalArgumentException("output " + output + " of a head with " + outputs);
        if (classifier && outputs < 2) throw new IllegalArgumentException("a classifier's log-odds need at least 2 classes, the head has " + outputs);
        return new VariantScorer(model, tokenizer, model.encoder.config(), ScoringMethod.PREDICTION_CHANGE,
                batch -> new PredictionScorer(model, tokenizer, batch, output, classifier), Integer.MAX_VALUE);
    }

    /** The method this model scores substitutions with. */
    public ScoringMethod method() {
        return method;
    }

    /**
     * The window used for {@code requested} bases (0: the longest that fits the model's maximum
     * length, for a language model at most {@value #DEFAULT_WINDOW}).
     *
     * @throws IllegalArgumentException when a requested window does not fit a model with bounded positions
     */
    public int windowBases(int requested, int tagCount) {
        if (requested > 0) {
            int tokens = LanguageModelPretraining.maxTokens(tokenizer, requested, tagCount);
            if (config.limitsInputLength() && tokens > config.maxLength()) {
                throw new IllegalArgumentException("a window of " + requested + " bases takes up to " + tokens + " tokens but this model's "
                        + config.positions().name().toLowerCase(Locale.ROOT) + " positions stop at " + config.maxLength()
                        + "; use --window " + windowBases(0, tagCount) + " or less");
            }
            return requested;
        }
        for (int w = Math.min(longestDefaultWindow, config.maxLength()); w > 1; w--) {
            if (LanguageModelPretraining.maxTokens(tokenizer, w, tagCount) <= config.maxLength()) return w;
        }
        throw new IllegalArgumentException("this model's maximum length of " + config.maxLength() + " tokens leaves no room for a window");
    }

    /** Scores every ALT of every variant against {@code genome}; {@code listener} may be null. */
    public Result score(Genome genome, List<VcfVariant> variants, Settings settings, Listener listener) {
        String[] tags = settings.tags().toArray(String[]::new);
        Tokenizers.prependTags(tokenizer, new int[0], tags);                          // an unknown tag fails here, before any work
        int window = windowBases(settings.window(), tags.length);
        AlleleScorer scorer = scorerForBatch.apply(settings.batch());
        VariantCheck check = VariantCheck.run(genome, variants);
        Map<VcfVariant, VariantCheck.Problem> problems = new IdentityHashMap<>();
        for (VariantCheck.Problem p : check.problems()) problems.put(p.variant(), p);

        // Every row, in order; the ones to score are also collected with their row numbers.
        List<VariantScore> rows = new ArrayList<>();
        List<Allele> toScore = new ArrayList<>();
        List<Integer> rowOf = new ArrayList<>();
        Generator controlGen = new Generator(settings.seed());
        for (VcfVariant v : variants) {
            VariantCheck.Problem problem = problems.get(v);
            List<String> alts = v.alts().isEmpty() ? List.of(".") : v.alts();
            boolean anyScorable = false;
            for (String alt : alts) {
                String why = problem != null ? problem.message() : unscorable(v, alt, method, window);
                Allele a = null;
                if (why == null) {
                    try {
                        a = allele(genome, v, alt, Origin.REAL, window, tags);
                        why = scorer.unscorable(a);
                    } catch (IllegalArgumentException tooLong) {
                        why = tooLong.getMessage();
                    }
                }
                if (why == null) {
                    anyScorable = true;
                    rowOf.add(rows.size());
                    toScore.add(a);
                    rows.add(null);
                } else {
                    Status status = problem == null ? Status.SKIPPED : switch (problem.reason()) {
                        case REF_MISMATCH -> Status.REF_MISMATCH;
                        case UNKNOWN_CONTIG -> Status.UNKNOWN_CONTIG;
                        case PAST_CONTIG_END -> Status.PAST_CONTIG_END;
                    };
                    rows.add(new VariantScore(v.chrom(), v.pos(), v.id(), v.ref(), alt, Origin.REAL, Double.NaN, null, 0, 0, status, why));
                }
            }
            if (settings.controls() && anyScorable && v.isSnv() && Bases.isAcgt(v.ref().charAt(0))) {
                String control = randomOtherBase(v, controlGen);
                if (control != null) {
                    Allele a = allele(genome, v, control, Origin.CONTROL, window, tags);
                    if (scorer.unscorable(a) == null) {
                        rowOf.add(rows.size());
                        toScore.add(a);
                        rows.add(null);
                    }
                }
            }
        }

        long total = scorer.rows(toScore);
        long[] done = {0};
        double[] scores;
        boolean wasTraining = model.isTraining();
        model.eval();
        try (var noGrad = GradMode.off()) {
            scores = scorer.score(toScore, n -> {
                done[0] += n;
                if (listener != null) listener.progress(done[0], total);
            });
        } finally {
            model.train(wasTraining);
        }
        for (int i = 0; i < toScore.size(); i++) {
            Allele a = toScore.get(i);
            VcfVariant v = a.variant();
            rows.set(rowOf.get(i), new VariantScore(v.chrom(), v.pos(), v.id(), v.ref(), a.alt(), a.origin(), scores[i], method,
                    a.window().start() + 1, a.window().end(), Status.OK, ""));
        }
        return new Result(List.copyOf(rows), method, window, settings.controls() ? controlAuroc(rows) : Double.NaN);
    }

    /** Why an allele of a variant whose REF matched cannot be scored, or null. */
    private static String unscorable(VcfVariant v, String alt, ScoringMethod method, int window) {
        if (alt.equals(".")) return "no ALT allele";
        if (alt.startsWith("<") || alt.equals("*") || alt.contains("[") || alt.contains("]")) return "symbolic ALT allele '" + alt + "'";
        if (Bases.containsNonAcgt(alt)) return "ALT '" + alt + "' holds a base other than A/C/G/T";
        if (Bases.containsNonAcgt(v.ref())) return "REF '" + v.ref() + "' holds a base other than A/C/G/T";
        if (alt.equalsIgnoreCase(v.ref())) return "ALT equals REF";
        boolean indel = alt.length() != v.ref().length();
        if (indel && !method.scoresIndels()) {
            return "indel: the masked marginal scores substitutions only; a causal model (or a BPE masked model) scores indels";
        }
        if (Math.max(v.ref().length(), alt.length()) > window / 2) return "allele longer than half the " + window + "-base window";
        return null;
    }

    private Allele allele(Genome genome, VcfVariant v, String alt, Origin origin, int window, String[] tags) {
        VariantWindow w = VariantWindow.around(genome, v.chrom(), v.start(), v.end(), alt.toUpperCase(Locale.ROOT), window);
        return new Allele(v, alt, origin, w, ids(w.ref(), tags), ids(w.alt(), tags));
    }

    private int[] ids(String bases, String[] tags) {
        int[] ids = tokenizer.encodeWithSpecials(bases);
        return tags.length == 0 ? ids : Tokenizers.prependTags(tokenizer, ids, tags);
    }

    /** A base other than REF and the real ALTs, uniformly (null when the real ALTs take all three). */
    private static String randomOtherBase(VcfVariant v, Generator gen) {
        List<String> choices = new ArrayList<>();
        for (String b : List.of("A", "C", "G", "T")) {
            if (!b.equalsIgnoreCase(v.ref()) && v.alts().stream().noneMatch(b::equalsIgnoreCase)) choices.add(b);
        }
        return choices.isEmpty() ? null : choices.get(gen.nextInt(choices.size()));
    }

    /** AUROC of real SNV scores (positives) against control scores; NaN when either set is empty. */
    static double controlAuroc(List<VariantScore> rows) {
        List<Double> scores = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (VariantScore s : rows) {
            if (!s.scored() || s.ref().length() != 1 || s.alt().length() != 1) continue;
            scores.add(s.score());
            labels.add(s.origin() == Origin.REAL ? 1 : 0);
        }
        if (!labels.contains(0) || !labels.contains(1)) return Double.NaN;
        return ClassificationMetrics.auroc(scores.stream().mapToDouble(Double::doubleValue).toArray(),
                labels.stream().mapToInt(Integer::intValue).toArray());
    }
}
