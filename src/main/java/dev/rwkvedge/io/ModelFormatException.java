package dev.rwkvedge.io;

import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;

/**
 * A file that cannot be read as a model; the message names the file and what was wrong with it, on one line of at most
 * {@link #MAX_MESSAGE} characters. Every reader's failure passes through here, so this is the one place that bounds
 * what a hostile file can make us print: long problems are cut in the middle and values are shown by {@link #shown}.
 */
public class ModelFormatException extends IOException {
    public static final int MAX_MESSAGE = 300;
    /** A value in a message gets at most this many characters; the file name and the problem need the rest. */
    private static final int MAX_VALUE = 60;
    private final transient Path file;

    public ModelFormatException(Path file, String problem) {
        super(message(file, String.valueOf(problem)));
        this.file = file;
    }

    public ModelFormatException(Path file, String problem, Throwable cause) {
        super(message(file, String.valueOf(problem)), cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }

    private static String message(Path file, String problem) {
        String name = String.valueOf(file);
        // a very long path still leaves room to say what was wrong
        return name + ": " + abbreviate(oneLine(problem), Math.max(120, MAX_MESSAGE - name.length() - 2));
    }

    /**
     * A value as a message may show it: arrays and collections by their first elements and their size, strings cut to
     * a few dozen characters, nested containers only two levels deep (a pickle can nest lists 20,000 deep or contain
     * itself, which {@code toString} would follow until the stack overflows).
     */
    public static String shown(Object value) {
        StringBuilder sb = new StringBuilder();
        append(sb, value, 2);
        return abbreviate(oneLine(sb.toString()), MAX_VALUE);
    }

    private static void append(StringBuilder sb, Object v, int depth) {
        if (sb.length() > MAX_VALUE) return;
        if (v == null) {
            sb.append("None");
        } else if (v instanceof CharSequence s) {
            sb.append('\'').append(abbreviate(s.toString(), MAX_VALUE)).append('\'');
        } else if (v instanceof byte[] b) {
            sb.append(b.length).append(" bytes");
        } else if (v.getClass().isArray()) {
            int n = Array.getLength(v);
            java.util.List<Object> first = new java.util.ArrayList<>();
            for (int i = 0; i < Math.min(n, 9); i++) first.add(Array.get(v, i));
            sb.append('[');
            elements(sb, first, n, depth);
            sb.append(']');
        } else if (v instanceof Map<?, ?> m) {
            if (depth == 0) {
                sb.append("{").append(m.size()).append(" items}");
                return;
            }
            sb.append('{');
            int k = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (k++ > 0) sb.append(", ");
                if (k > 3 || sb.length() > MAX_VALUE) {
                    sb.append("... ").append(m.size()).append(" items");
                    break;
                }
                append(sb, e.getKey(), depth - 1);
                sb.append(": ");
                append(sb, e.getValue(), depth - 1);
            }
            sb.append('}');
        } else if (v instanceof Collection<?> c) {
            sb.append('(');
            elements(sb, c, c.size(), depth);
            sb.append(')');
        } else if (v instanceof Number || v instanceof Boolean || v instanceof Enum<?>) {
            sb.append(v);
        } else {
            // records and other values: their own toString may print arrays or containers, so only the type is shown
            sb.append(v.getClass().getSimpleName());
        }
    }

    /** The first elements of a sequence of {@code size}, then how many there are. */
    private static void elements(StringBuilder sb, Collection<?> c, int size, int depth) {
        if (depth == 0) {
            sb.append(size).append(" items");
            return;
        }
        int k = 0;
        for (Object o : c) {
            if (k++ > 0) sb.append(", ");
            if (k > 8 || sb.length() > MAX_VALUE) {
                sb.append("... ").append(size).append(" items");
                break;
            }
            append(sb, o, depth - 1);
        }
    }

    private static String oneLine(String s) {
        String bounded = s.length() > 4 * MAX_MESSAGE ? abbreviate(s, 4 * MAX_MESSAGE) : s;
        return bounded.replaceAll("\\p{Cntrl}", " ");
    }

    /** Keeps the start and the end, which say what and where; the middle is usually the runaway value. */
    static String abbreviate(String s, int max) {
        if (s.length() <= max) return s;
        int head = (max - 5) * 2 / 3;
        int tail = max - 5 - head;
        return s.substring(0, head) + " ... " + s.substring(s.length() - tail);
    }
}
