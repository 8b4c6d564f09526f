package dev.rwkvedge.cli;

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
    static final class Count extends IntIn {
        Count() {
            super(1, Integer.MAX_VALUE, "is not a positive count (1 or more)");
        }
    }

    /** Zero or more. */
    static final class NonNegativeInt extends IntIn {
        NonNegativeInt() {
            super(0, Integer.MAX_VALUE, "is negative");
        }
    }

    /** Threads: 1 to four per available processor (more only adds contention). */
    static final class Threads extends IntIn {
        Threads() {
            super(1, 4 * processors(), "threads is outside 1.." + 4 * processors() + " (4 x " + processors() + " processors)");
        }

        private static int processors() {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    /** A probability or share, 0 to 1. */
    static final class Probability extends RealIn {
        Probability() {
            super(0, 1, "is outside 0..1");
        }
    }

    /** Zero or more (temperature, seconds). */
    static final class NonNegative extends RealIn {
        NonNegative() {
            super(0, Double.MAX_VALUE, "is negative");
        }
    }

    /** Any finite number (penalties may reward repetition). */
    static final class Finite extends RealIn {
        Finite() {
            super(-Double.MAX_VALUE, Double.MAX_VALUE, "is not finite");
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

    /** A whole number in [min, max]; outside it, "VALUE PROBLEM". */
    private abstract static class IntIn implements ITypeConverter<Integer> {
        private final int min, max;
        private final String problem;

        IntIn(int min, int max, String problem) {
            this.min = min;
            this.max = max;
            this.problem = problem;
        }

        @Override
        public Integer convert(String value) {
            int n = integer(value);
            if (n < min || n > max) throw new TypeConversionException(value + " " + problem);
            return n;
        }
    }

    /** A finite number in [min, max]; outside it, "VALUE PROBLEM". */
    private abstract static class RealIn implements ITypeConverter<Double> {
        private final double min, max;
        private final String problem;

        RealIn(double min, double max, String problem) {
            this.min = min;
            this.max = max;
            this.problem = problem;
        }

        @Override
        public Double convert(String value) {
            double d = real(value);
            if (d < min || d > max) throw new TypeConversionException(value + " " + problem);
            return d;
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
