package dev.strand.nn.transformer;

import dev.strand.autograd.Variable;
import dev.strand.nn.Module;
import dev.strand.nn.loss.Losses;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;

/** A BERT-style bidirectional encoder with a masked-language-model head. */
public final class BertModel extends Module {
    public final TransformerConfig config;
    public final Encoder encoder;
    public final MlmHead mlm;

    /** A fresh {@link Transformer} encoder of this shape, and the head. */
    public BertModel(TransformerConfig config, Generator gen) {
        this(new Transformer(config, gen), gen);
    }

    /** The head on any encoder; its output matrix is the encoder's token embedding. */
    public BertModel(Encoder encoder, Generator gen) {
        this.config = encoder.config();
        this.encoder = child("encoder", encoder);
        this.mlm = child("mlm", new MlmHead(config, encoder.tokenEmbedding(), gen));
    }

    /** ids [B, T], keyPadding [B, T] (1 = pad, may be null) → hidden states [B, T, d]. */
    public Variable hidden(Tensor ids, Tensor keyPadding) {
        return encoder.forward(ids, keyPadding);
    }

    /** Logits [B, T, V] at every position. */
    public Variable mlmLogits(Tensor ids, Tensor keyPadding) {
        return mlm.forward(hidden(ids, keyPadding));
    }

    /**
     * MLM cross-entropy over the positions whose label is not {@link Losses#IGNORE_INDEX}. The
     * head runs on those rows only (15 % of tokens), which gives the same loss for a fraction of
     * the vocabulary projection's cost.
     */
    public Variable mlmLoss(Tensor ids, Tensor keyPadding, Tensor labels) {
        Variable h = hidden(ids, keyPadding);                                  // [B, T, d]
        int[] l = labels.toIntArray();
        int count = 0;
        for (int v : l) if (v != Losses.IGNORE_INDEX) count++;
        int[] rows = new int[count], targets = new int[count];
        for (int i = 0, j = 0; i < l.length; i++) {
            if (l[i] != Losses.IGNORE_INDEX) {
                rows[j] = i;
                targets[j++] = l[i];
            }
        }
        if (count == 0) throw new IllegalArgumentException("no masked positions in this batch: every label is " + Losses.IGNORE_INDEX);
        Variable picked = h.reshape(-1, config.dim()).indexSelect(0, Tensor.ofInts(rows));   // [N, d]
        return Losses.crossEntropy(mlm.forward(picked), Tensor.ofInts(targets));            // scalar
    }
}
