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

    /** One rank per matrix; the budget rule spreads its share across all of them. */
    public static Map<String, Integer> plan(List<Candidate> cs, RankRule rule, Map<String, Integer> overrides)
            throws Recipe.RecipeException {
        Map<String, Integer> ranks = new LinkedHashMap<>();
        Map<String, Integer> budget = rule instanceof RankRule.Budget b ? budget(cs, b.value()) : Map.of();
        checkOverrides(cs.stream().map(Candidate::name).toList(), overrides);
        for (Candidate c : cs) {
            ranks.put(c.name(), overrides != null && overrides.containsKey(c.name()) ? checked(c, overrides.get(c.name()))
                    : rule.global() ? checked(c, budget.get(c.name())) : rank(c, rule, null));
        }
        return ranks;
    }

    /** The rank of one matrix under a rule that needs no other matrix (every rule but the budget), or its override. */
    static int rank(Candidate c, RankRule rule, Map<String, Integer> overrides) throws Recipe.RecipeException {
        if (overrides != null && overrides.containsKey(c.name())) return checked(c, overrides.get(c.name()));
        return checked(c, switch (rule) {
            case RankRule.Ratio r -> (int) Math.max(1, Math.round(r.value() * c.maxRank()));
            case RankRule.Energy e -> rankForEnergy(c.sigma(), e.value());
            case RankRule.Fixed f -> f.rank();
            case RankRule.Budget b -> throw new IllegalArgumentException("the budget rule needs every matrix at once");
        });
    }

    static void checkOverrides(List<String> names, Map<String, Integer> overrides) throws Recipe.RecipeException {
        if (overrides == null) return;
        for (String k : overrides.keySet()) {
            if (!names.contains(k)) {
                throw new Recipe.RecipeException("lowRank.overrides names " + k + ", which is not among the factored matrices");
            }
        }
    }

    private static int checked(Candidate c, int r) throws Recipe.RecipeException {
        if (r > c.maxRank()) {
            throw new Recipe.RecipeException("impossible rank " + r + " for " + c.name() + " (" + c.out() + "x"
                    + c.in() + ", at most " + c.maxRank() + ")");
        }
        return r;
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
