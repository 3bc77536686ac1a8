package dev.strand.cli;

import dev.strand.nn.checkpoint.AtomicFiles;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Renders a matrix (attention weights: queries down, keys across) as a PNG heatmap with the
 * labels on both axes and a colour bar, readable at a glance. Long sequences get smaller cells and
 * every n-th label, prefixed with its index; beyond {@link #MAX_CELLS} rows or columns the matrix
 * is averaged over square blocks first. {@link #renderGrid} lays many small maps out in one image
 * (all layers × heads). Files are written atomically.
 */
public final class HeatmapPng {
    /** Most cells drawn per axis; longer matrices are averaged over blocks of tokens. */
    static final int MAX_CELLS = 450;
    /** Longest axis label drawn, in characters. */
    static final int LABEL_CHARS = 12;

    private HeatmapPng() {}

    /** Writes {@code values} [rows][cols] to {@code file}; colours scale from 0 to the matrix maximum. */
    public static void write(Path file, float[][] values, List<String> rowLabels, List<String> colLabels, String title) throws IOException {
        writePng(file, render(values, rowLabels, colLabels, title));
    }

    /** Writes an image as PNG, atomically. */
    static void writePng(Path file, BufferedImage img) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", bytes)) throw new IOException("no PNG writer available");
        AtomicFiles.write(file, bytes.toByteArray());
    }

    /** The image (public for tests). */
    public static BufferedImage render(float[][] values, List<String> rowLabels, List<String> colLabels, String title) {
        int rawRows = values.length, rawCols = rawRows == 0 ? 0 : values[0].length;
        int block = (int) Math.ceil(Math.max(rawRows, rawCols) / (double) MAX_CELLS);
        if (block > 1) {
            values = pool(values, block);
            rowLabels = blockLabels(rowLabels, block);
            colLabels = blockLabels(colLabels, block);
            title += " (mean over " + block + "×" + block + " token blocks)";
        }
        int rows = values.length, cols = rows == 0 ? 0 : values[0].length;
        int cell = Math.max(2, Math.min(24, 900 / Math.max(1, Math.max(rows, cols))));
        int labelEvery = Math.max(1, (int) Math.ceil(12.0 / cell));
        if (labelEvery > 1 && block == 1) {
            rowLabels = indexed(rowLabels);
            colLabels = indexed(colLabels);
        }
        rowLabels = shortened(rowLabels);
        colLabels = shortened(colLabels);
        Font font = new Font(Font.MONOSPACED, Font.PLAIN, Math.min(12, Math.max(9, cell - 2)));
        Font titleFont = font.deriveFont(Font.BOLD, 14f);
        int margin = 12 + 7 * maxLength(rowLabels, colLabels), top = 30 + margin, left = margin + 4;
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        int titleWidth = probe.createGraphics().getFontMetrics(titleFont).stringWidth(title) + 16;
        int width = Math.max(titleWidth, left + cols * cell + 90), height = top + rows * cell + 20;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        float max = max(values);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                g.setColor(color(values[i][j] / max));
                g.fillRect(left + j * cell, top + i * cell, cell, cell);
            }
        }
        g.setColor(Color.BLACK);
        g.setFont(titleFont);
        g.drawString(title, 8, 18);
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();
        if (margin >= 40) {   // the empty corner says which axis is which
            g.setColor(Color.GRAY);
            g.drawString("key →", 8, top - margin / 2);
            g.drawString("query ↓", 8, top - 4);
            g.setColor(Color.BLACK);
        }
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

    /**
     * Many maps in one image: {@code maps.get(r).get(c)} drawn at row r, column c, each in a square
     * panel of {@code panel} pixels and coloured from 0 to its own maximum (heads differ in scale;
     * one shared scale would leave most panels dark).
     */
    public static BufferedImage renderGrid(List<List<float[][]>> maps, List<String> rowTitles, List<String> colTitles, String title, int panel) {
        int rows = maps.size(), cols = rows == 0 ? 0 : maps.get(0).size();
        int gap = 8, left = 60, top = 48;
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12), titleFont = font.deriveFont(Font.BOLD, 14f);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        int titleWidth = probe.createGraphics().getFontMetrics(titleFont).stringWidth(title) + 16;
        int width = Math.max(titleWidth, left + cols * (panel + gap) + 60), height = top + rows * (panel + gap) + 20;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(titleFont);
        g.drawString(title, 8, 18);
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();
        for (int c = 0; c < cols; c++) {
            String s = colTitles.get(c);
            g.drawString(s, left + c * (panel + gap) + (panel - fm.stringWidth(s)) / 2, top - 8);
        }
        for (int r = 0; r < rows; r++) {
            int y0 = top + r * (panel + gap);
            g.setColor(Color.BLACK);
            g.drawString(rowTitles.get(r), 8, y0 + panel / 2 + fm.getAscent() / 2);
            for (int c = 0; c < cols; c++) {
                float[][] m = maps.get(r).get(c);
                int n = m.length, x0 = left + c * (panel + gap);
                float max = max(m);
                // each pixel shows the mean of the cells it covers, so thin stripes survive shrinking
                for (int py = 0; py < panel; py++) {
                    int i0 = py * n / panel, i1 = Math.max(i0 + 1, (py + 1) * n / panel);
                    for (int px = 0; px < panel; px++) {
                        int j0 = px * n / panel, j1 = Math.max(j0 + 1, (px + 1) * n / panel);
                        double sum = 0;
                        for (int i = i0; i < i1; i++) for (int j = j0; j < j1; j++) sum += m[i][j];
                        img.setRGB(x0 + px, y0 + py, color((float) (sum / ((i1 - i0) * (j1 - j0)) / max)).getRGB());
                    }
                }
            }
        }
        int barX = left + cols * (panel + gap) + 8, barH = Math.max(40, Math.min(rows * (panel + gap) - gap, 240));
        for (int y = 0; y < barH; y++) {
            g.setColor(color(1f - (float) y / barH));
            g.fillRect(barX, top + y, 12, 1);
        }
        g.setColor(Color.BLACK);
        g.drawString("max", barX + 15, top + fm.getAscent());
        g.drawString("0", barX + 15, top + barH);
        g.dispose();
        return img;
    }

    /** Means over {@code block} × {@code block} squares (the last ones may be smaller). */
    static float[][] pool(float[][] v, int block) {
        int rows = v.length, cols = v[0].length;
        int pr = (rows + block - 1) / block, pc = (cols + block - 1) / block;
        float[][] out = new float[pr][pc];
        for (int i = 0; i < pr; i++) {
            for (int j = 0; j < pc; j++) {
                double sum = 0;
                int n = 0;
                for (int a = i * block; a < Math.min(rows, (i + 1) * block); a++) {
                    for (int b = j * block; b < Math.min(cols, (j + 1) * block); b++) {
                        sum += v[a][b];
                        n++;
                    }
                }
                out[i][j] = (float) (sum / n);
            }
        }
        return out;
    }

    /** "i-j" token index ranges of each block. */
    private static List<String> blockLabels(List<String> labels, int block) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < labels.size(); i += block) out.add(i + "-" + (Math.min(labels.size(), i + block) - 1));
        return out;
    }

    /** "12 ACG": where a label is when only every n-th one is shown. */
    private static List<String> indexed(List<String> labels) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) out.add(i + " " + labels.get(i));
        return out;
    }

    /** Labels cut to {@link #LABEL_CHARS} characters, so long BPE tokens fit the margin. */
    private static List<String> shortened(List<String> labels) {
        return labels.stream().map(s -> s.length() <= LABEL_CHARS ? s : s.substring(0, LABEL_CHARS - 1) + "…").toList();
    }

    private static float max(float[][] values) {
        float max = 1e-12f;
        for (float[] r : values) for (float v : r) max = Math.max(max, v);
        return max;
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
        return Math.min(m, LABEL_CHARS);
    }
}
