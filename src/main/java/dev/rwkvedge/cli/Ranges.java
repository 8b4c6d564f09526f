package dev.rwkvedge.cli;

import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Option values with a range, checked while the command line is parsed: a value out of range is a usage error (one
 * line, exit code 2) before any work starts, never a silently odd run. Each converter is one line naming its range;
 * picocli instantiates them by class.
 */
final class Ranges {
    private Ranges() {}

    /** A count of at least 1 (tokens, runs, items). */
    static final class Count extends In<Integer> {
        Count() {
            super(Ranges::integer, 1, Integer.MAX_VALUE, "is not a positive count (1 or more)");
        }
    }

    /** Zero or more. */
    static final class NonNegativeInt extends In<Integer> {
        NonNegativeInt() {
            super(Ranges::integer, 0, Integer.MAX_VALUE, "is negative");
        }
    }

    /** Threads: 1 to four per available processor (more only adds contention). */
    static final class Threads extends In<Integer> {
        Threads() {
            super(Ranges::integer, 1, 4 * processors(),
                    "threads is outside 1.." + 4 * processors() + " (4 x " + processors() + " processors)");
        }

        private static int processors() {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    /** A probability or share, 0 to 1. */
    static final class Probability extends In<Double> {
        Probability() {
            super(Ranges::real, 0, 1, "is outside 0..1");
        }
    }

    /** Zero or more (temperature, seconds). */
    static final class NonNegative extends In<Double> {
        NonNegative() {
            super(Ranges::real, 0, Double.MAX_VALUE, "is negative");
        }
    }

    /** Any finite number (penalties may reward repetition). */
    static final class Finite extends In<Double> {
        Finite() {
            super(Ranges::real, -Double.MAX_VALUE, Double.MAX_VALUE, "is not finite");
        }
    }

    /** Strictly positive, as an epsilon must be (a zero or negative GroupNorm epsilon divides by zero or worse). */
    static final class Epsilon implements ITypeConverter<Float> {
        @Override
        public Float convert(String value) {
            double d = real(value);
            if (!(d > 0) || (float) d == 0 || Float.isInfinite((float) d)) {
                throw new TypeConversionException(value + " is not a positive float32 number");
            }
            return (float) d;
        }
    }

    /**
     * A number in [min, max], parsed by {@code parse} (which rejects what is not a number); outside the range, "VALUE
     * PROBLEM". Whole numbers and reals share it: every int is exact as a double, and comparing as doubles keeps -0
     * inside a range starting at 0.
     */
    private abstract static class In<T extends Number> implements ITypeConverter<T> {
        private final Function<String, T> parse;
        private final double min, max;
        private final String problem;

        In(Function<String, T> parse, double min, double max, String problem) {
            this.parse = parse;
            this.min = min;
            this.max = max;
            this.problem = problem;
        }

        @Override
        public T convert(String value) {
            T n = parse.apply(value);
            double d = n.doubleValue();
            if (d < min || d > max) throw new TypeConversionException(value + " " + problem);
            return n;
        }
    }

    static int integer(String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + Messages.abbreviate(value) + "' is not a whole number in "
                    + Integer.MIN_VALUE + ".." + Integer.MAX_VALUE);
        }
    }

    static double real(String value) {
        double d;
        try {
            d = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + Messages.abbreviate(value) + "' is not a number");
        }
        if (!Double.isFinite(d)) throw new TypeConversionException(value + " is not a finite number");
        return d;
    }
}
