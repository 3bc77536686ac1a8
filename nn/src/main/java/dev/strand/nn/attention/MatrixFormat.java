package dev.strand.nn.attention;

import dev.strand.tensor.Tensor;
import java.util.List;

/** Small matrices as aligned text with row and column labels. */
public final class MatrixFormat {
    private MatrixFormat() {}

    /** Integers without decimals, others with three. */
    public static String number(float v) {
        return v == Math.rint(v) && Math.abs(v) < 1e6 ? String.valueOf((long) v) : String.format("%.3f", v);
    }

    /** A 2-d tensor as a table. */
    public static String format(Tensor m, List<String> rows, List<String> columns) {
        float[] v = m.toFloatArray();
        int r = m.size(0), c = m.size(1);
        String[][] cells = new String[r + 1][c + 1];
        cells[0][0] = "";
        for (int j = 0; j < c; j++) cells[0][j + 1] = columns.get(j);
        for (int i = 0; i < r; i++) {
            cells[i + 1][0] = rows.get(i);
            for (int j = 0; j < c; j++) cells[i + 1][j + 1] = number(v[i * c + j]);
        }
        int[] width = new int[c + 1];
        for (String[] row : cells) for (int j = 0; j <= c; j++) width[j] = Math.max(width[j], row[j].length());
        StringBuilder sb = new StringBuilder();
        for (String[] row : cells) {
            for (int j = 0; j <= c; j++) {
                sb.append(j == 0 ? "  " : "  ");
                String cell = row[j];
                sb.append(j == 0 ? cell + " ".repeat(width[j] - cell.length()) : " ".repeat(width[j] - cell.length()) + cell);
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
