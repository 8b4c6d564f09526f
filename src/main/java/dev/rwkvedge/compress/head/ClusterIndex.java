package dev.rwkvedge.compress.head;

/**
 * Which tokens form which cluster. Tokens are listed cluster by cluster ({@code tokens[start(j) .. end(j))} is
 * cluster j), the order in which the clustered head stores its rows, so one cluster is one contiguous read. The
 * cluster of each token is not kept: nothing reads it once the order is made (a V-int table, 32 KB of a 1 MB model).
 */
public record ClusterIndex(int[] tokens, int[] starts) {

    public ClusterIndex {
        if (starts[starts.length - 1] != tokens.length) {
            throw new IllegalArgumentException("cluster index does not cover the vocabulary");
        }
    }

    /** From the cluster of every token; clusters 0..k-1 must each hold at least one token. */
    public static ClusterIndex of(int[] clusterOf, int k) {
        int[] starts = new int[k + 1];
        for (int c : clusterOf) {
            if (c < 0 || c >= k) throw new IllegalArgumentException("cluster " + c + " outside 0.." + (k - 1));
            starts[c + 1]++;
        }
        for (int j = 0; j < k; j++) {
            if (starts[j + 1] == 0) throw new IllegalArgumentException("cluster " + j + " is empty");
            starts[j + 1] += starts[j];
        }
        int[] next = java.util.Arrays.copyOf(starts, k);
        int[] tokens = new int[clusterOf.length];
        for (int t = 0; t < clusterOf.length; t++) tokens[next[clusterOf[t]]++] = t;
        return new ClusterIndex(tokens, starts);
    }

    public int clusters() {
        return starts.length - 1;
    }

    public int vocab() {
        return tokens.length;
    }

    public int start(int cluster) {
        return starts[cluster];
    }

    public int end(int cluster) {
        return starts[cluster + 1];
    }

    public int size(int cluster) {
        return starts[cluster + 1] - starts[cluster];
    }

    /** Bytes of the index itself: token order and cluster starts. */
    public long bytes() {
        return 4L * (tokens.length + starts.length);
    }

    /** Probability mass of every cluster under one row of token probabilities. */
    public void masses(double[] tokenProbs, int off, double[] out) {
        for (int j = 0; j < clusters(); j++) {
            double s = 0;
            for (int i = starts[j]; i < starts[j + 1]; i++) s += tokenProbs[off + tokens[i]];
            out[j] = s;
        }
    }
}
