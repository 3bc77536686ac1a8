package dev.strand.cli;

import java.util.concurrent.Callable;

/**
 * A command whose work can also be run from Java with its result returned, as the quickstart runs
 * the other commands; from the command line it only exits.
 *
 * @param <R> what the command reports
 */
abstract class StepCommand<R> implements Callable<Integer> {
    /** Does the command's work with its parsed options and returns what it reported. */
    abstract R execute() throws Exception;

    @Override
    public final Integer call() throws Exception {
        execute();
        return 0;
    }
}
