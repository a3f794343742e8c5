package io.github.unseg.eval;

/**
 * Minimum-cost assignment on a rectangular cost matrix (Kuhn-Munkres with potentials, O(n^2 m)
 * for n rows <= m columns): every row gets a distinct column.
 */
public final class Hungarian {
    private Hungarian() { }

    /** @return for each row, its column; rows > columns are handled by transposing. */
    public static int[] solve(double[][] cost) {
        int n = cost.length;
        if (n == 0) return new int[0];
        int m = cost[0].length;
        if (n > m) {
            double[][] t = new double[m][n];
            for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) t[j][i] = cost[i][j];
            int[] colOfRow = solve(t); // for each column of cost, its row
            int[] out = new int[n];
            java.util.Arrays.fill(out, -1);
            for (int j = 0; j < m; j++) out[colOfRow[j]] = j;
            return out;
        }
        double[] u = new double[n + 1], v = new double[m + 1];
        int[] p = new int[m + 1], way = new int[m + 1];
        for (int i = 1; i <= n; i++) {
            p[0] = i;
            int j0 = 0;
            double[] minv = new double[m + 1];
            boolean[] used = new boolean[m + 1];
            java.util.Arrays.fill(minv, Double.POSITIVE_INFINITY);
            do {
                used[j0] = true;
                int i0 = p[j0], j1 = 0;
                double delta = Double.POSITIVE_INFINITY;
                for (int j = 1; j <= m; j++) {
                    if (used[j]) continue;
                    double cur = cost[i0 - 1][j - 1] - u[i0] - v[j];
                    if (cur < minv[j]) { minv[j] = cur; way[j] = j0; }
                    if (minv[j] < delta) { delta = minv[j]; j1 = j; }
                }
                for (int j = 0; j <= m; j++) {
                    if (used[j]) { u[p[j]] += delta; v[j] -= delta; }
                    else minv[j] -= delta;
                }
                j0 = j1;
            } while (p[j0] != 0);
            do {
                int j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        int[] out = new int[n];
        for (int j = 1; j <= m; j++) if (p[j] != 0) out[p[j] - 1] = j - 1;
        return out;
    }
}
