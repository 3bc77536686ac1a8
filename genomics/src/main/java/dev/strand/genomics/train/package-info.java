/**
 * Training DNA language models and the run directories they leave: pretraining by masked or causal
 * language modelling ({@link dev.strand.genomics.train.LanguageModelPretraining}, read back as a
 * {@link dev.strand.genomics.train.PretrainedModel}), fine-tuning with a sequence head ({@link
 * dev.strand.genomics.train.FineTuning}, read back as a {@link dev.strand.genomics.train.FineTunedModel}),
 * probes of a frozen encoder ({@link dev.strand.genomics.train.LayerProbe}, and LP-FT's head fitted by
 * {@code LinearProbe}) and the control tags a run conditions on ({@link
 * dev.strand.genomics.train.ControlTags}). The probes' maths is {@code ml}'s; this package pools the
 * encoder's vectors and writes the head.
 *
 * <p>Layering: beside {@code baseline}; may use {@code io}, {@code ml}, {@code tokenize},
 * {@code metrics}, {@code data} and {@code tasks}, not {@code baseline} nor the top layer
 * ({@code variants}, {@code attention}, {@code generate}), which build on it.
 */
package dev.strand.genomics.train;
