package dev.strand.cli;

/**
 * A command whose work can be run from Java with its result returned, as the quickstart runs
 * the other commands; {@code call()} runs it from the command line and only exits.
 *
 * @param <R> what the command reports
 */
interface Step<R> {
    /** Does the command's work with its parsed options and returns what it reported. */
    R execute() throws Exception;
}
