package dev.rwkvedge.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Option values with a range, checked while the command line is parsed: a value out of range is a usage error (one
 * line, exit code 2) before any work starts, never a silently odd run.
 */
final class Ranges {
    private Ranges() {}

    /** A count of at least 1 (tokens, runs, items). */
    static final class Count implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int n = integer(value);
            if (n < 1) throw new TypeConversionException(value + " is not a positive count (1 or more)");
            return n;
        }
    }

    /** Zero or more. */
    static final class NonNegativeInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int n = integer(value);
            if (n < 0) throw new TypeConversionException(value + " is negative");
            return n;
        }
    }

    /** Threads: 1 to four per available processor (more only adds contention). */
    static final class Threads implements ITypeConverter<Integer> {
        static int max() {
            return 4 * Runtime.getRuntime().availableProcessors();
        }

        @Override
        public Integer convert(String value) {
            int n = integer(value);
            if (n < 1 || n > max()) {
                throw new TypeConversionException(value + " threads is outside 1.." + max() + " (4 x "
                        + Runtime.getRuntime().availableProcessors() + " processors)");
            }
            return n;
        }
    }

    /** A probability or share, 0 to 1. */
    static final class Probability implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double d = real(value);
            if (d < 0 || d > 1) throw new TypeConversionException(value + " is outside 0..1");
            return d;
        }
    }

    /** Zero or more (temperature, seconds). */
    static final class NonNegative implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double d = real(value);
            if (d < 0) throw new TypeConversionException(value + " is negative");
            return d;
        }
    }

    /** Any finite number (penalties may reward repetition). */
    static final class Finite implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            return real(value);
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
