package dev.strand.spark;

import dev.strand.cli.Main;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The entry point for {@code spark-submit --class dev.strand.spark.SparkMain strand-spark.jar
 * pretrain …} (or {@code finetune …}): Strand's command line, training on the cluster
 * spark-submit set up unless the arguments name another {@code --spark} master.
 */
public final class SparkMain {
    private SparkMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs Strand's command line as {@link #main} does; returns its exit status. */
    static int run(String[] args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        if (!all.isEmpty() && (all.get(0).equals("pretrain") || all.get(0).equals("finetune")) && all.stream().noneMatch(a -> a.equals("--spark") || a.startsWith("--spark="))) {
            all.add("--spark");
            all.add("submit");
        }
        return Main.run(all.toArray(String[]::new));
    }
}
