package dev.rwkvedge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class BudgetOptionsTest {
    @Test
    void sizesReadDecimalAndBinaryUnits() {
        BudgetOptions.Size s = new BudgetOptions.Size();
        assertEquals(1_000_000L, s.convert("1MB"));
        assertEquals(800_000L, s.convert("800kB"));
        assertEquals(1_572_864L, s.convert("1.5MiB"));
        assertEquals(2L * 1024 * 1024 * 1024, s.convert("2 GiB"));
        assertEquals(12_345L, s.convert("12345"));
        assertThrows(TypeConversionException.class, () -> s.convert("big"));
        assertThrows(TypeConversionException.class, () -> s.convert("0MB"));
    }

    @Test
    void ratiosArePositive() {
        assertEquals(10.0, new BudgetOptions.Ratio().convert("10"));
        assertThrows(TypeConversionException.class, () -> new BudgetOptions.Ratio().convert("0"));
        assertThrows(TypeConversionException.class, () -> new BudgetOptions.Ratio().convert("ten"));
    }
}
