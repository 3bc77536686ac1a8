package dev.strand.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code strand} command line: {@code ./strand <command>}. */
@Command(name = "strand", mixinStandardHelpOptions = true, version = "Strand 0.1.0",
        description = "A pure-Java transformer framework for DNA language models.",
        resourceBundle = "dev.strand.cli.OptionHelp",   // each command's wording of the options mixins share
        subcommands = {InfoCommand.class, DevicesCommand.class, ExplainAttentionCommand.class, TokenizeCommand.class, PretrainCommand.class,
                FinetuneCommand.class, EvaluateCommand.class, GenerateCommand.class, ScoreVariantsCommand.class, AttentionCommand.class,
                ProbeCommand.class, PerplexityCommand.class, QuickstartCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Runs the command line and returns its exit code; errors are one clear line, no stack trace. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("strand: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return 1;
        });
        return cli.execute(args);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }
}
