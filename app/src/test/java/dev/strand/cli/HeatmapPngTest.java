package dev.strand.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeatmapPngTest {
    @Test
    void writesAReadablePngWhoseCellsFollowTheValues(@TempDir Path dir) throws Exception {
        System.setProperty("java.awt.headless", "true");
        float[][] w = {{0.9f, 0.1f, 0f}, {0.2f, 0.3f, 0.5f}, {0f, 0f, 1f}};
        Path file = dir.resolve("layer0_head0.png");
        HeatmapPng.write(file, w, List.of("A", "C", "G"), List.of("A", "C", "G"), "layer 0 head 0");
        BufferedImage img = ImageIO.read(file.toFile());
        assertTrue(img.getWidth() > 80 && img.getHeight() > 80);
        assertTrue(Files.list(dir).noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        assertEquals(HeatmapPng.color(1f), HeatmapPng.color(2f));
        assertNotEquals(HeatmapPng.color(0f).getRGB(), HeatmapPng.color(1f).getRGB());
    }
}
