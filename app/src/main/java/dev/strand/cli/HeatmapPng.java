package dev.strand.cli;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Renders a matrix (attention weights: queries down, keys across) as a PNG heatmap with the
 * tokens on both axes and a colour bar, readable at a glance. Long sequences get smaller cells and
 * every n-th label. Written atomically (temp file, then rename).
 */
public final class HeatmapPng {
    private HeatmapPng() {}

    /** Writes {@code values} [rows][cols] to {@code file}; colours scale from 0 to the matrix maximum. */
    public static void write(Path file, float[][] values, List<String> rowLabels, List<String> colLabels, String title) throws IOException {
        BufferedImage img = render(values, rowLabels, colLabels, title);
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        if (!ImageIO.write(img, "png", tmp.toFile())) throw new IOException("no PNG writer available");
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The image (public for tests). */
    public static BufferedImage render(float[][] values, List<String> rowLabels, List<String> colLabels, String title) {
        int rows = values.length, cols = rows == 0 ? 0 : values[0].length;
        int cell = Math.max(2, Math.min(24, 900 / Math.max(1, Math.max(rows, cols))));
        int labelEvery = Math.max(1, (int) Math.ceil(12.0 / cell));
        Font font = new Font(Font.MONOSPACED, Font.PLAIN, Math.min(12, Math.max(9, cell - 2)));
        int margin = 12 + 7 * maxLength(rowLabels, colLabels), top = 30 + margin, left = margin + 4;
        int width = left + cols * cell + 90, height = top + rows * cell + 20;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        float max = 1e-12f;
        for (float[] r : values) for (float v : r) max = Math.max(max, v);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                g.setColor(color(values[i][j] / max));
                g.fillRect(left + j * cell, top + i * cell, cell, cell);
            }
        }
        g.setColor(Color.BLACK);
        g.setFont(font.deriveFont(Font.BOLD, 14f));
        g.drawString(title, 8, 18);
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i < rows; i += labelEvery) {
            String s = rowLabels.get(i);
            g.drawString(s, left - 4 - fm.stringWidth(s), top + i * cell + (cell + fm.getAscent()) / 2 - 1);
        }
        AffineTransform plain = g.getTransform();
        for (int j = 0; j < cols; j += labelEvery) {
            g.setTransform(plain);
            g.translate(left + j * cell + (cell + fm.getAscent()) / 2 - 1, top - 4);
            g.rotate(-Math.PI / 2);
            g.drawString(colLabels.get(j), 0, 0);
        }
        g.setTransform(plain);
        int barX = left + cols * cell + 20, barH = Math.max(40, rows * cell);
        for (int y = 0; y < barH; y++) {
            g.setColor(color(1f - (float) y / barH));
            g.fillRect(barX, top + y, 14, 1);
        }
        g.setColor(Color.BLACK);
        g.drawString(String.format("%.2g", max), barX + 18, top + fm.getAscent());
        g.drawString("0", barX + 18, top + barH);
        g.dispose();
        return img;
    }

    /** A perceptually ordered map from dark blue (0) through teal to yellow (1), like viridis. */
    static Color color(float t) {
        t = Math.max(0f, Math.min(1f, t));
        float[][] stops = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
        float pos = t * (stops.length - 1);
        int i = Math.min(stops.length - 2, (int) pos);
        float f = pos - i;
        int[] c = new int[3];
        for (int k = 0; k < 3; k++) c[k] = Math.round(stops[i][k] + f * (stops[i + 1][k] - stops[i][k]));
        return new Color(c[0], c[1], c[2]);
    }

    private static int maxLength(List<String> a, List<String> b) {
        int m = 1;
        for (String s : a) m = Math.max(m, s.length());
        for (String s : b) m = Math.max(m, s.length());
        return Math.min(m, 12);
    }
}
