package dev.strand.genomics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The layering of genomics' packages (see this package's package-info): a package may use only
 * packages of lower layers, so no two packages depend on each other. Read from the sources, so an
 * import, a fully qualified name and a Javadoc link all count as a use; the root package (this
 * test, shared test helpers) is outside the layers.
 */
class PackageLayersTest {
    /** The layers from the bottom; a package may use the packages of the layers before its own. */
    static final List<List<String>> LAYERS = List.of(
            List.of("io", "ml"),
            List.of("tokenize", "metrics"),
            List.of("data"),
            List.of("tasks"),
            List.of("baseline", "train"),
            List.of("variants", "attention", "generate", "hub"));

    private static final Path MAIN = Path.of("src/main/java/dev/strand/genomics");
    private static final Pattern USE = Pattern.compile("dev\\.strand\\.genomics\\.([a-z]\\w*)");

    private static int layer(String pkg) {
        for (int l = 0; l < LAYERS.size(); l++) if (LAYERS.get(l).contains(pkg)) return l;
        return -1;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"src/main/java", "src/test/java"})
    void everyPackageUsesOnlyLowerLayers(String sources) throws IOException {
        Path root = Path.of(sources, "dev/strand/genomics");
        List<String> wrong = new ArrayList<>();
        int files = 0;
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path f : walk.filter(p -> p.toString().endsWith(".java")).toList()) {
                Path rel = root.relativize(f);
                if (rel.getNameCount() < 2) continue;   // the root package
                String pkg = rel.getName(0).toString();
                int own = layer(pkg);
                if (own < 0) {
                    wrong.add(rel + ": package " + pkg + " is in no layer");
                    continue;
                }
                files++;
                Matcher m = USE.matcher(Files.readString(f));
                while (m.find()) {
                    String used = m.group(1);
                    if (!used.equals(pkg) && !(layer(used) >= 0 && layer(used) < own)) wrong.add(rel + " uses " + used);
                }
            }
        }
        assertTrue(files > 50, "found the sources under " + root.toAbsolutePath());
        assertEquals(List.of(), new ArrayList<>(new TreeSet<>(wrong)));
    }

    @Test
    void everyPackageIsInALayerAndSaysWhatItMayUse() throws IOException {
        List<String> packages = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(MAIN)) {
            dirs.filter(Files::isDirectory).forEach(d -> packages.add(d.getFileName().toString()));
        }
        assertEquals(new TreeSet<>(LAYERS.stream().flatMap(List::stream).toList()), new TreeSet<>(packages));
        for (String pkg : packages) {
            Path info = MAIN.resolve(pkg).resolve("package-info.java");
            assertTrue(Files.exists(info), pkg + " has no package-info.java");
            assertTrue(Files.readString(info).contains("Layering:"), pkg + "'s package-info does not say which packages it may use");
        }
    }
}
