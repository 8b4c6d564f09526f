package dev.rwkvedge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** The converters' edges: each range's ends are inside it, the next value outside (CommandLineErrorsTest runs them). */
class RangesTest {
    @Test
    void wholeNumberRangesIncludeTheirEnds() {
        assertEquals(1, new Ranges.Count().convert("1"));
        assertEquals(Integer.MAX_VALUE, new Ranges.Count().convert(" 2147483647 "));
        assertEquals("0 is not a positive count (1 or more)",
                assertThrows(TypeConversionException.class, () -> new Ranges.Count().convert("0")).getMessage());
        assertEquals(0, new Ranges.NonNegativeInt().convert("0"));
        assertThrows(TypeConversionException.class, () -> new Ranges.NonNegativeInt().convert("-1"));
        int most = 4 * Runtime.getRuntime().availableProcessors();
        assertEquals(most, new Ranges.Threads().convert(Integer.toString(most)));
        assertThrows(TypeConversionException.class, () -> new Ranges.Threads().convert(Integer.toString(most + 1)));
        // beyond an int: the parse error, not a wrapped value
        assertEquals("'2147483648' is not a whole number in -2147483648..2147483647",
                assertThrows(TypeConversionException.class, () -> new Ranges.Count().convert("2147483648")).getMessage());
    }

    @Test
    void realRangesIncludeTheirEndsAndNegativeZero() {
        assertEquals(0.0, new Ranges.Probability().convert("0"));
        assertEquals(1.0, new Ranges.Probability().convert("1"));
        assertEquals("1.0000001 is outside 0..1",
                assertThrows(TypeConversionException.class, () -> new Ranges.Probability().convert("1.0000001")).getMessage());
        // -0 is zero, not negative (Double.compare would say otherwise)
        assertEquals(-0.0, new Ranges.NonNegative().convert("-0"));
        assertThrows(TypeConversionException.class, () -> new Ranges.NonNegative().convert("-1e-300"));
        assertEquals(-1e300, new Ranges.Finite().convert("-1e300"));
        assertEquals("Infinity is not a finite number",
                assertThrows(TypeConversionException.class, () -> new Ranges.Finite().convert("Infinity")).getMessage());
    }
}
