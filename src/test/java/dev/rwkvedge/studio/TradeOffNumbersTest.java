package dev.rwkvedge.studio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.studio.views.compress.SizeWords;
import dev.rwkvedge.studio.views.compress.TaskScore;
import dev.rwkvedge.studio.views.compress.model.RecipeDiff;
import java.util.List;
import org.junit.jupiter.api.Test;

class TradeOffNumbersTest {
    @Test
    void wilsonIntervalsMatchTheTextbook() {
        // p = 0.5, n = 100: 0.4038 to 0.5962 (Wilson 1927; Newcombe 1998, table I)
        TaskScore half = TaskScore.wilson(50, 100);
        assertEquals(0.4038, half.low(), 5e-5);
        assertEquals(0.5962, half.high(), 5e-5);
        // none right of 10: the upper bound is z^2 / (n + z^2) = 3.8415 / 13.8415
        TaskScore none = TaskScore.wilson(0, 10);
        assertEquals(0, none.low(), 1e-12);
        assertEquals(3.841459 / 13.841459, none.high(), 1e-6);
        assertEquals("0.0 % (95 % CI 0.0-27.8 %, 10 items)", none.text());
    }

    @Test
    void ratiosSayWhichWay() {
        assertEquals("2.00 x smaller than fp16", SizeWords.vsFp16(50, 100));
        assertEquals("1.42 x larger than fp16", SizeWords.vsFp16(142, 100));
        assertEquals("same size as fp16", SizeWords.vsFp16(100, 100));
    }

    @Test
    void recipeDiffListsEverySettingThatDiffers() throws Exception {
        Recipe a = Recipe.parse("{\"lowRank\": {\"method\": \"svd\", \"rule\": {\"ratio\": 0.125}}}", "a");
        Recipe b = Recipe.parse("{\"lowRank\": {\"method\": \"whitened\", \"rule\": {\"energy\": 0.9}}, \"int8\": {}}", "b");
        assertEquals(List.of("int8: off -> on", "lowRank.method: svd -> whitened", "lowRank.rule.energy: off -> 0.9",
                "lowRank.rule.ratio: 0.125 -> off"), RecipeDiff.of(a, b).stream().map(Object::toString).toList());
        assertEquals(List.of(), RecipeDiff.of(a, a));
    }
}
