package dev.strand.cli;

import dev.strand.genomics.hub.HubExport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strand export RUN --out DIR}: a masked language model as a Hugging Face-style directory. */
@Command(name = "export", description = "Write a masked language model as a Hugging Face-style directory (config.json, model.safetensors, "
        + "tokenizer files). An imported model goes back to its own family; one Strand pretrained is written in the ESM layout "
        + "(EsmForMaskedLM, tie_word_embeddings true), with vocab.txt and strand_tokenizer.json.")
final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN", description = "A run directory of 'strand pretrain' or 'strand import'.")
    Path run;

    @Option(names = "--out", required = true, description = "The directory to create (new or empty).")
    Path out;

    @Override
    public Integer call() throws Exception {
        HubExport.Result r = HubExport.run(run, out);
        System.out.println("exported " + run + " as " + r.family().title + " (" + r.tensors() + " tensors) to " + r.dir());
        return 0;
    }
}
