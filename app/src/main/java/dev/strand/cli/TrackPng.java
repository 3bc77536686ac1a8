package dev.strand.cli;

import dev.strand.genomics.attention.CandidateRegions.Region;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A per-base score track as a PNG line plot with the sequence under it: the bases as coloured
 * letters where there is room (A green, C blue, G orange, T red), else as a strip of those
 * colours; positions (1-based) on ticks; candidate regions shaded and the mean dashed.
 */
public final class TrackPng {
    private static final int LEFT = 64, RIGHT = 24, TOP = 40, PLOT_HEIGHT = 220, BELOW = 56;

    private TrackPng() {}

    /** Writes the plot of {@code scores} [sequence length] to {@code file}. */
    public static void write(Path file, String sequence, float[] scores, List<Region> regions, String title) throws IOException {
        HeatmapPng.writePng(file, render(sequence, scores, regions, title));
    }

    /** The image (public for tests). */
    public static BufferedImage render(String sequence, float[] scores, List<Region> regions, String title) {
        int n = scores.length;
        int plotWidth = Math.max(480, Math.min(1400, n * 10));
        double px = (double) plotWidth / Math.max(1, n);
        int width = LEFT + plotWidth + RIGHT, height = TOP + PLOT_HEIGHT + BELOW;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        g.setColor(Color.BLACK);
        g.setFont(font.deriveFont(Font.BOLD, 14f));
        g.drawString(title, 8, 20);
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();

        double max = 1e-12, mean = 0;
        for (float s : scores) {
            max = Math.max(max, s);
            mean += s / (double) Math.max(1, n);
        }
        double top = max * 1.05;
        int bottom = TOP + PLOT_HEIGHT;
        g.setColor(new Color(255, 224, 178));
        for (Region r : regions) g.fillRect(LEFT + (int) Math.round(r.start() * px), TOP, (int) Math.max(1, Math.round(r.length() * px)), PLOT_HEIGHT);

        g.setColor(Color.LIGHT_GRAY);
        g.drawRect(LEFT, TOP, plotWidth, PLOT_HEIGHT);
        g.setColor(Color.BLACK);
        for (int k = 0; k <= 4; k++) {
            double v = top * k / 4;
            int y = bottom - (int) Math.round(PLOT_HEIGHT * v / top);
            g.drawLine(LEFT - 4, y, LEFT, y);
            String label = String.format(Locale.ROOT, "%.3f", v);
            g.drawString(label, LEFT - 6 - fm.stringWidth(label), y + fm.getAscent() / 2 - 1);
        }
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f));
        int meanY = bottom - (int) Math.round(PLOT_HEIGHT * mean / top);
        g.drawLine(LEFT, meanY, LEFT + plotWidth, meanY);
        g.drawString("mean", LEFT + plotWidth - fm.stringWidth("mean") - 2, meanY - 3);

        g.setColor(new Color(33, 72, 160));
        g.setStroke(new BasicStroke(1.6f));
        Path2D.Double line = new Path2D.Double();
        for (int b = 0; b < n; b++) {
            double x = LEFT + (b + 0.5) * px, y = bottom - PLOT_HEIGHT * scores[b] / top;
            if (b == 0) line.moveTo(x, y);
            else line.lineTo(x, y);
        }
        g.draw(line);
        g.setStroke(new BasicStroke(1f));

        // the sequence: letters when a base has 7 px or more, else a strip of base colours
        int seqY = bottom + 4;
        if (px >= 7) {
            Font mono = new Font(Font.MONOSPACED, Font.BOLD, (int) Math.min(13, px + 1));
            g.setFont(mono);
            FontMetrics mm = g.getFontMetrics();
            for (int b = 0; b < n; b++) {
                char c = sequence.charAt(b);
                g.setColor(baseColor(c));
                g.drawString(String.valueOf(c), (int) Math.round(LEFT + (b + 0.5) * px - mm.charWidth(c) / 2.0), seqY + mm.getAscent());
            }
            g.setFont(font);
        } else {
            for (int b = 0; b < n; b++) {
                g.setColor(baseColor(sequence.charAt(b)));
                g.fillRect(LEFT + (int) Math.floor(b * px), seqY, Math.max(1, (int) Math.ceil(px)), 10);
            }
        }
        g.setColor(Color.BLACK);
        int tickY = seqY + 18, step = tickStep(n, px);
        for (int pos = step; pos <= n; pos += step) {
            int x = (int) Math.round(LEFT + (pos - 0.5) * px);
            g.drawLine(x, tickY, x, tickY + 4);
            String label = Integer.toString(pos);
            g.drawString(label, x - fm.stringWidth(label) / 2, tickY + 6 + fm.getAscent());
        }
        g.drawString("position", LEFT, height - 4);
        g.dispose();
        return img;
    }

    /** 1, 2 or 5 × 10^k bases between ticks, at least 50 px apart. */
    static int tickStep(int n, double px) {
        for (int scale = 1; ; scale *= 10) {
            for (int m : new int[] {1, 2, 5}) {
                if (m * scale * px >= 50 || m * scale >= n) return m * scale;
            }
        }
    }

    private static Color baseColor(char c) {
        return switch (Character.toUpperCase(c)) {
            case 'A' -> new Color(0, 150, 0);
            case 'C' -> new Color(0, 0, 200);
            case 'G' -> new Color(230, 140, 0);
            case 'T' -> new Color(210, 0, 0);
            default -> Color.GRAY;
        };
    }
}
