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

    @Test
    void longMatricesAreAveragedOverBlocksAndLabelledByTokenRange() {
        float[][] v = {{1, 3, 5}, {5, 7, 9}, {0, 0, 4}};
        float[][] pooled = HeatmapPng.pool(v, 2);
        assertEquals(4f, pooled[0][0]);   // (1 + 3 + 5 + 7) / 4
        assertEquals(7f, pooled[0][1]);   // (5 + 9) / 2: the last block is smaller
        assertEquals(0f, pooled[1][0]);
        assertEquals(4f, pooled[1][1]);

        int n = HeatmapPng.MAX_CELLS + 50;    // averaged over 2 × 2 blocks: 250 cells of 3 px
        float[][] big = new float[n][n];
        for (int i = 0; i < n; i++) big[i][i] = 1f;
        List<String> labels = java.util.Collections.nCopies(n, "A");
        BufferedImage img = HeatmapPng.render(big, labels, labels, "long");
        int margin = 12 + 7 * "498-499".length();
        assertEquals(30 + margin + 250 * 3 + 20, img.getHeight());
    }

    @Test
    void theGridScalesEachPanelToItsOwnMaximum() {
        float[][] small = {{0.1f, 0f}, {0f, 0.1f}}, large = {{10f, 0f}, {0f, 10f}};
        BufferedImage img = HeatmapPng.renderGrid(List.of(List.of(small, large)), List.of("layer 1"), List.of("head 1", "head 2"), "grid", 80);
        assertEquals(48 + 88 + 20, img.getHeight());
        int yellow = HeatmapPng.color(1f).getRGB(), dark = HeatmapPng.color(0f).getRGB();
        assertEquals(yellow, img.getRGB(60, 48), "top-left of head 1: its maximum");
        assertEquals(yellow, img.getRGB(60 + 88, 48), "top-left of head 2: its maximum too");
        assertEquals(dark, img.getRGB(60 + 79, 48));
    }

    @Test
    void aTrackShowsLettersWhenThereIsRoomAndTicksAtRoundPositions() {
        float[] scores = new float[40];
        for (int i = 0; i < 40; i++) scores[i] = i % 7;
        BufferedImage img = TrackPng.render("ACGT".repeat(10), scores, List.of(new dev.strand.genomics.attention.CandidateRegions.Region(3, 9)), "track");
        assertEquals(64 + 480 + 24, img.getWidth());
        assertEquals(5, TrackPng.tickStep(40, 12));
        assertEquals(200, TrackPng.tickStep(3000, 0.46), "100 bases would be only 46 px");
        assertEquals(1, TrackPng.tickStep(1, 480));
    }
}
