package dev.rwkvedge.studio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.studio.ui.Formats;
import org.junit.jupiter.api.Test;

/** The shortcut edits of the recipe, and the way size ratios are worded. */
class KnobShortcutsTest {
    private static double ratio(Recipe r) {
        return r.lowRank().rule().ratio();
    }

    @Test
    void rankKeysStepAlongTheLadderAndStopAtItsEnds() {
        Recipe paper = Recipe.paperLowRank();
        assertEquals(0.1875, ratio(KnobShortcuts.RANK_UP.apply(paper)));
        assertEquals(0.0625, ratio(KnobShortcuts.RANK_DOWN.apply(paper)));
        assertEquals(0.0625, ratio(KnobShortcuts.RANK_DOWN.apply(KnobShortcuts.RANK_DOWN.apply(paper))));
        Recipe top = paper;
        for (int i = 0; i < 10; i++) top = KnobShortcuts.RANK_UP.apply(top);
        assertEquals(0.75, ratio(top));
        // a ratio between two steps goes to the nearest step in that direction
        Recipe odd = new Recipe(null, new Recipe.LowRank(dev.rwkvedge.compress.LowRankMethod.SVD, null, dev.rwkvedge.compress.RankRule.ratio(0.2),
                null, null), null, null, null, null, null);
        assertEquals(0.25, ratio(KnobShortcuts.RANK_UP.apply(odd)));
        assertEquals(0.1875, ratio(KnobShortcuts.RANK_DOWN.apply(odd)));
        assertEquals(dev.rwkvedge.compress.LowRankMethod.SVD, KnobShortcuts.RANK_UP.apply(odd).lowRank().method(), "the rest of the section stays");
    }

    @Test
    void togglesTurnOneTechniqueOnOrOffAndKeepTheOthers() {
        Recipe paper = Recipe.paperLowRank();
        Recipe withInt8 = KnobShortcuts.TOGGLE_INT8.apply(paper);
        assertEquals(paper.lowRank(), withInt8.lowRank());
        assertEquals(true, withInt8.int8().on());
        assertNull(KnobShortcuts.TOGGLE_INT8.apply(withInt8).int8());
        assertEquals(128, KnobShortcuts.TOGGLE_EMBEDDING_CACHE.apply(paper).embedding().cacheRows());
        Recipe noLowRank = KnobShortcuts.TOGGLE_LOW_RANK.apply(withInt8);
        assertNull(noLowRank.lowRank());
        assertEquals(withInt8.int8(), noLowRank.int8());
        assertEquals(paper.lowRank(), KnobShortcuts.TOGGLE_LOW_RANK.apply(noLowRank).lowRank());
        assertEquals(0.125, ratio(KnobShortcuts.RANK_UP.apply(noLowRank)), "a rank key turns low rank on at D/8");
    }

    @Test
    void headAndSparseKeysSwitchOnAtTheDefaultsThenStepTheirKnobs() {
        Recipe paper = Recipe.paperLowRank();
        Recipe head = KnobShortcuts.COVERAGE_UP.apply(paper);
        assertEquals(dev.rwkvedge.compress.head.ClusteredHeadSettings.paper(), head.head(), "a head key turns the head on");
        assertEquals(0.9, KnobShortcuts.COVERAGE_DOWN.apply(head).head().coverage(), 1e-12);
        assertEquals(0.99, KnobShortcuts.COVERAGE_UP.apply(head).head().coverage(), 1e-12, "coverage stops below 1");
        assertEquals(400, KnobShortcuts.CLUSTERS_UP.apply(head).head().clusters());
        Recipe few = KnobShortcuts.CLUSTERS_DOWN.apply(KnobShortcuts.CLUSTERS_DOWN.apply(head));
        assertEquals(50, few.head().clusters());
        assertEquals(50, few.head().maxClusters(), "the selection shrinks with the clusters");
        assertEquals(head.head().coverage(), few.head().coverage());
        assertNull(KnobShortcuts.TOGGLE_HEAD.apply(head).head());

        Recipe sparse = KnobShortcuts.TOGGLE_SPARSE.apply(paper);
        assertEquals(0.7, sparse.sparseFfn().threshold());
        assertEquals(0.75, KnobShortcuts.THRESHOLD_UP.apply(sparse).sparseFfn().threshold(), 1e-12);
        assertEquals(0.65, KnobShortcuts.THRESHOLD_DOWN.apply(sparse).sparseFfn().threshold(), 1e-12);
        assertEquals(sparse.sparseFfn().mlpWidth(), KnobShortcuts.THRESHOLD_UP.apply(sparse).sparseFfn().mlpWidth());
        assertEquals(paper.lowRank(), KnobShortcuts.THRESHOLD_UP.apply(sparse).lowRank());
    }

    @Test
    void aShortcutKeepsThePrecisionSection() throws Exception {
        Recipe r = Recipe.parse("{\"lowRank\": {\"rule\": {\"ratio\": 0.25}}, \"precision\": {\"default\": \"q4_0\"}}", "t");
        for (var edit : java.util.List.of(KnobShortcuts.TOGGLE_INT8, KnobShortcuts.TOGGLE_EMBEDDING_CACHE,
                KnobShortcuts.TOGGLE_SPARSE, KnobShortcuts.TOGGLE_HEAD, KnobShortcuts.RANK_UP, KnobShortcuts.TOGGLE_LOW_RANK)) {
            assertEquals(r.precision(), edit.apply(r).precision());
        }
    }

    @Test
    void ratiosReadAsSmallerOrLarger() {
        assertEquals("3.84x smaller than fp16", Formats.versus(3.84, "fp16"));
        assertEquals("1.89x larger than fp16", Formats.versus(1 / 1.89, "fp16"));
        assertEquals("the size of fp16", Formats.versus(1.001, "fp16"));
        assertEquals("? vs fp16", Formats.versus(0, "fp16"));
    }
}
