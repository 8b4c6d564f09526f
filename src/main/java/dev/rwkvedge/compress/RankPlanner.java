package dev.rwkvedge.compress;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/** Turns a rank rule into one rank per matrix, from each matrix's singular values. */
public final class RankPlanner {
    /** A matrix to factor: its full name, shape and singular values (descending). */
    public record Candidate(String name, int out, int in, double[] sigma) {
        long dense() {
            return (long) out * in;
        }

        int maxRank() {
            return Math.min(out, in);
        }
    }

    private RankPlanner() {}

    public static Map<String, Integer> plan(List<Candidate> cs, Recipe.RankRule rule, Map<String, Integer> overrides)
            throws Recipe.RecipeException {
        Map<String, Integer> ranks = new LinkedHashMap<>();
        if (rule.budget() != null) ranks.putAll(budget(cs, rule.budget()));
        for (Candidate c : cs) {
            int r;
            if (rule.ratio() != null) r = (int) Math.max(1, Math.round(rule.ratio() * c.maxRank()));
            else if (rule.energy() != null) r = rankForEnergy(c.sigma(), rule.energy());
            else if (rule.fixed() != null) r = rule.fixed();
            else r = ranks.get(c.name());
            ranks.put(c.name(), r);
        }
        if (overrides != null) {
            for (var e : overrides.entrySet()) {
                if (!ranks.containsKey(e.getKey())) {
                    throw new Recipe.RecipeException("lowRank.overrides names " + e.getKey()
                            + ", which is not among the factored matrices");
                }
                ranks.put(e.getKey(), e.getValue());
            }
        }
        for (Candidate c : cs) {
            int r = ranks.get(c.name());
            if (r > c.maxRank()) {
                throw new Recipe.RecipeException("impossible rank " + r + " for " + c.name() + " (" + c.out() + "x"
                        + c.in() + ", at most " + c.maxRank() + ")");
            }
        }
        return ranks;
    }

    static int rankForEnergy(double[] sigma, double energy) {
        double total = 0;
        for (double s : sigma) total += s * s;
        double acc = 0;
        for (int i = 0; i < sigma.length; i++) {
            acc += sigma[i] * sigma[i];
            if (acc >= energy * total - 1e-12 * total) return i + 1;
        }
        return sigma.length;
    }

    /**
     * Keeps {@code share} of the matrices' dense parameters: every matrix starts at rank 1, then the next singular
     * component with the largest squared singular value per parameter it costs (out + in) is added, globally, until
     * the budget is spent. That spends parameters where truncation would lose the most.
     */
    static Map<String, Integer> budget(List<Candidate> cs, double share) {
        long total = 0;
        for (Candidate c : cs) total += c.dense();
        long budget = (long) (share * total);
        Map<String, Integer> ranks = new LinkedHashMap<>();
        long used = 0;
        record Next(Candidate c, int index, double gain) {}
        PriorityQueue<Next> queue = new PriorityQueue<>((a, b) -> Double.compare(b.gain(), a.gain()));
        List<Candidate> list = new ArrayList<>(cs);
        for (Candidate c : list) {
            ranks.put(c.name(), 1);
            used += c.out() + c.in();
            if (c.maxRank() > 1) queue.add(new Next(c, 1, gain(c, 1)));
        }
        while (!queue.isEmpty()) {
            Next n = queue.poll();
            long cost = n.c().out() + n.c().in();
            if (used + cost > budget) continue;
            used += cost;
            ranks.put(n.c().name(), n.index() + 1);
            if (n.index() + 1 < n.c().maxRank()) queue.add(new Next(n.c(), n.index() + 1, gain(n.c(), n.index() + 1)));
        }
        return ranks;
    }

    private static double gain(Candidate c, int i) {
        return c.sigma()[i] * c.sigma()[i] / (c.out() + c.in());
    }
}
