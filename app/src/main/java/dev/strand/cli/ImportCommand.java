package dev.strand.cli;

import dev.strand.genomics.hub.HubImport;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strand import DIR --out RUN}: a published model from its Hugging Face directory, as a Strand run directory. */
@Command(name = "import", description = "Turn a Hugging Face model directory (DNABERT-2, Nucleotide Transformer v1/v2, GENA-LM BERT: "
        + "config.json, tokenizer files, model.safetensors or pytorch_model.bin) into a Strand run directory that finetune, evaluate, "
        + "score-variants, attention, probe and info accept. pytorch_model.bin is read without running any of its code.")
final class ImportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The model directory, as downloaded from the Hugging Face hub.")
    Path dir;

    @Option(names = "--out", required = true, description = "The run directory to create (new or empty).")
    Path out;

    @Option(names = "--weights", description = "Which weight file of DIR to read (default: model.safetensors if there, else pytorch_model.bin).")
    String weights;

    @Override
    public Integer call() throws Exception {
        HubImport.Result r = weights == null ? HubImport.run(dir, out) : HubImport.run(dir, dir.resolve(weights), out);
        System.out.printf(Locale.ROOT, "imported %s from %s (%s): %,d parameters; d %d, %d layers, %d heads; tokenizer %s of %,d tokens%n",
                r.architecture().title, dir, String.join(", ", r.weightFiles().stream().map(p -> p.getFileName().toString()).toList()),
                r.parameters(), r.config().dim(), r.config().layers(), r.config().heads(), r.tokenizer().kind(), r.tokenizer().vocabSize());
        if (!r.unused().isEmpty()) {
            System.out.println("not used (buffers, pooler, tied copies): " + String.join(", ", r.unused()));
        }
        r.notes().forEach(n -> System.out.println("note: " + n));
        System.out.println("wrote " + r.runDir() + "; e.g. strand finetune --model " + r.runDir() + " …, strand info --model " + r.runDir());
        return 0;
    }
}
