package dev.strand.architecture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Small files with one purpose: no main source file of any module is over {@value #MAX_LINES} lines. */
class FileSizeTest {
    static final int MAX_LINES = 600;

    @Test
    void noMainSourceFileIsTooLong() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();                // tests run in app/
        List<String> tooLong = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/")).toList()) {
                checked++;
                long lines;
                try (Stream<String> l = Files.lines(f)) {
                    lines = l.count();
                }
                if (lines > MAX_LINES) tooLong.add(root.relativize(f) + " (" + lines + " lines)");
            }
        }
        assertTrue(checked > 100, "found only " + checked + " main source files under " + root);
        assertTrue(tooLong.isEmpty(), "main source files over " + MAX_LINES + " lines; split them along their seams: " + tooLong);
    }
}
