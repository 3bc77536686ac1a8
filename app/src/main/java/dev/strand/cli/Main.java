package dev.strand.cli;

import dev.strand.tensor.Shapes;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code strand} command line: {@code ./strand <command>}. */
@Command(name = "strand", mixinStandardHelpOptions = true, version = "Strand 0.1.0",
        description = "A pure-Java transformer framework for DNA language models.",
        resourceBundle = "dev.strand.cli.OptionHelp",   // each command's wording of the options mixins share
        subcommands = {InfoCommand.class, DevicesCommand.class, ExplainAttentionCommand.class, TokenizeCommand.class, PretrainCommand.class,
                FinetuneCommand.class, EvaluateCommand.class, GenerateCommand.class, ScoreVariantsCommand.class, AttentionCommand.class,
                ProbeCommand.class, PerplexityCommand.class, QuickstartCommand.class, ImportCommand.class, ExportCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * Runs the command line and returns its exit code; errors are one clear line, no stack trace
     * (with {@code STRAND_DEBUG=1} in the environment the trace follows, for bug reports).
     */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> fail(e, cmd.getErr()));
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {   // picocli passes on Errors; this is the one a user can act on
            return fail(e, new java.io.PrintWriter(System.err, true));
        }
    }

    private static int fail(Throwable e, java.io.PrintWriter err) {
        String message = e instanceof OutOfMemoryError ? outOfMemory(e) : e.getMessage() != null ? e.getMessage() : e.toString();
        if (message.endsWith(Shapes.TOO_BIG)) message += ": " + SMALLER;
        err.println("strand: " + message);
        if ("1".equals(System.getenv("STRAND_DEBUG"))) e.printStackTrace(err);
        err.flush();
        return 1;
    }

    /** The options that size a job. */
    private static final String SMALLER = "make the job smaller (--batch, --window, --dim, --layers, --length, --count)";

    /** What ran out and what to change: the heap's size and the options that size the job. */
    static String outOfMemory(Throwable e) {
        long maxMiB = Runtime.getRuntime().maxMemory() >> 20;
        return String.format(java.util.Locale.ROOT, "out of memory (%s) with a Java heap of %,d MiB: %s, or give Java more heap (STRAND_JAVA_OPTS=-Xmx%dg)",
                e.getMessage(), maxMiB, SMALLER, Math.max(2, 2 * ((maxMiB + 1023) >> 10)));
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }
}
