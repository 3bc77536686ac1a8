/**
 * LoRA on whole models, compatible with Hugging Face PEFT: {@link dev.strand.nn.lora.LoraConfig}
 * (PEFT's settings and target matching), {@link dev.strand.nn.lora.Lora} (adapt every targeted
 * linear layer, freeze the rest but the modules to save, merge, count what trains),
 * {@link dev.strand.nn.lora.PeftAdapter} (PEFT's {@code adapter_config.json} and
 * {@code adapter_model.safetensors}, both ways) and {@link dev.strand.nn.lora.ModuleNames} (how
 * Strand's module names read in Hugging Face's BERT, or any mapping a user adds). The adapter
 * itself is {@link dev.strand.nn.LoraAdapter}, which any {@link dev.strand.nn.Linear} can carry.
 *
 * <p>Uses {@code dev.strand.nn}, {@code nn.checkpoint} (safetensors, atomic writes), tensor and Jackson.
 */
package dev.strand.nn.lora;
