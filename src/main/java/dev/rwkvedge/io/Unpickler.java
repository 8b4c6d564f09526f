package dev.rwkvedge.io;

import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pickle interpreter for what torch.save writes (protocols 2 to 4): containers, scalars, globals and persistent ids.
 * Calls are not executed: only the handful torch checkpoints need are understood, by name, via {@link Calls}.
 */
final class Unpickler {
    /** A reference to module.name (GLOBAL / STACK_GLOBAL); never resolved to code. */
    record Global(String module, String name) {
        @Override
        public String toString() {
            return module + "." + name;
        }
    }

    /** Interprets REDUCE (callable, args) and BINPERSID (pid) for one kind of pickle. */
    interface Calls {
        Object reduce(Global callable, List<Object> args) throws ModelFormatException;

        Object persistentLoad(Object pid) throws ModelFormatException;
    }

    private static final Object MARK = new Object();
    /**
     * Containers nest at most this deep (a state dict needs about four levels). Deeper nesting is refused while it is
     * built, so nothing later (equality, hashing, messages) can recurse until the stack overflows.
     */
    static final int MAX_DEPTH = 64;

    private final ByteCursor in;
    private final Calls calls;
    private final List<Object> stack = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    /** Nesting depth of each container built so far, by identity; scalars have depth 0. */
    private final Map<Object, Integer> depth = new IdentityHashMap<>();

    private Unpickler(Path file, MemorySegment pkl, Calls calls) {
        this.in = new ByteCursor(file, pkl, 0);
        this.calls = calls;
    }

    static Object load(Path file, MemorySegment pkl, Calls calls) throws ModelFormatException {
        return new Unpickler(file, pkl, calls).run();
    }

    private Object run() throws ModelFormatException {
        while (true) {
            int op = in.u8("pickle opcode");
            switch (op) {
                case 0x80 -> in.u8("pickle protocol"); // PROTO
                case 0x95 -> in.i64("pickle frame"); // FRAME: frames are only a read-ahead hint
                case '.' -> {
                    return pop();
                }
                case '(' -> stack.add(MARK);
                case 'N' -> stack.add(null);
                case 0x88 -> stack.add(Boolean.TRUE);
                case 0x89 -> stack.add(Boolean.FALSE);
                case 'K' -> stack.add((long) in.u8("BININT1"));
                case 'M' -> stack.add((long) in.u16("BININT2"));
                case 'J' -> stack.add((long) in.i32("BININT"));
                case 0x8a -> stack.add(long1(in.u8("LONG1")));
                case 'G' -> stack.add(Double.longBitsToDouble(Long.reverseBytes(in.i64("BINFLOAT"))));
                case 'X' -> stack.add(in.utf8(in.u32("BINUNICODE"), "BINUNICODE"));
                case 0x8c -> stack.add(in.utf8(in.u8("SHORT_BINUNICODE"), "SHORT_BINUNICODE"));
                case 'U' -> stack.add(in.utf8(in.u8("SHORT_BINSTRING"), "SHORT_BINSTRING"));
                case 'T' -> stack.add(in.utf8(in.u32("BINSTRING"), "BINSTRING"));
                case 'C' -> stack.add(in.bytes(in.u8("SHORT_BINBYTES"), "SHORT_BINBYTES"));
                case 'B' -> stack.add(in.bytes(in.u32("BINBYTES"), "BINBYTES"));
                case ')' -> stack.add(List.of());
                case ']' -> stack.add(new ArrayList<>());
                case '}' -> stack.add(new LinkedHashMap<>());
                case 't' -> stack.add(tuple(popMark().toArray()));
                case 0x85 -> stack.add(tuple(pop()));
                case 0x86 -> {
                    Object b = pop();
                    stack.add(tuple(pop(), b));
                }
                case 0x87 -> {
                    Object c = pop();
                    Object b = pop();
                    stack.add(tuple(pop(), b, c));
                }
                case 'a' -> {
                    Object v = pop();
                    List<Object> l = list(peek());
                    nest(l, v);
                    l.add(v);
                }
                case 'e' -> {
                    List<Object> items = popMark();
                    List<Object> l = list(peek());
                    for (Object v : items) nest(l, v);
                    l.addAll(items);
                }
                case 's' -> {
                    Object v = pop();
                    Object k = pop();
                    put(dict(peek()), k, v);
                }
                case 'u' -> {
                    List<Object> items = popMark();
                    if (items.size() % 2 != 0) throw in.fail("pickle SETITEMS with an odd number of items");
                    Map<Object, Object> d = dict(peek());
                    for (int i = 0; i < items.size(); i += 2) put(d, items.get(i), items.get(i + 1));
                }
                case 'q' -> memo.put((long) in.u8("BINPUT"), peek());
                case 'r' -> memo.put(in.u32("LONG_BINPUT"), peek());
                case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
                case 'h' -> stack.add(get(in.u8("BINGET")));
                case 'j' -> stack.add(get(in.u32("LONG_BINGET")));
                case 'c' -> stack.add(new Global(line(), line()));
                case 0x93 -> {
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) throw in.fail("pickle STACK_GLOBAL on non-strings");
                    stack.add(new Global(m, n));
                }
                case 'Q' -> stack.add(calls.persistentLoad(pop()));
                case 'R' -> {
                    Object args = pop();
                    Object f = pop();
                    if (!(f instanceof Global g) || !(args instanceof List<?> a)) {
                        throw in.fail("pickle REDUCE on a non-global " + ModelFormatException.shown(f));
                    }
                    stack.add(calls.reduce(g, new ArrayList<>(a)));
                }
                case 'b' -> pop(); // BUILD: the state only carries module metadata (e.g. _metadata); tensors do not need it
                default -> throw in.fail(String.format("unsupported pickle opcode 0x%02x at offset %d of data.pkl", op, in.position() - 1));
            }
        }
    }

    private List<Object> tuple(Object... xs) throws ModelFormatException {
        List<Object> t = java.util.Collections.unmodifiableList(java.util.Arrays.asList(xs));
        for (Object x : xs) nest(t, x);
        return t;
    }

    /** Records that {@code child} goes into {@code container}, refusing nesting beyond {@link #MAX_DEPTH}. */
    private void nest(Object container, Object child) throws ModelFormatException {
        int d = depth.getOrDefault(child, 0) + 1;
        if (d > MAX_DEPTH) throw in.fail("pickle nests containers more than " + MAX_DEPTH + " deep at offset " + in.position());
        if (d > depth.getOrDefault(container, 0)) depth.put(container, d);
    }

    /** Dict keys must be scalars: a list key could contain itself, and hashing it would never end. */
    private void put(Map<Object, Object> d, Object k, Object v) throws ModelFormatException {
        if (!(k == null || k instanceof String || k instanceof Long || k instanceof Double || k instanceof Boolean)) {
            throw in.fail("pickle uses " + ModelFormatException.shown(k) + " as a dict key; only strings and numbers are supported");
        }
        nest(d, v);
        d.put(k, v);
    }

    private Object long1(int n) throws ModelFormatException {
        byte[] le = in.bytes(n, "LONG1");
        if (n == 0) return 0L;
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) be[i] = le[n - 1 - i];
        BigInteger v = new BigInteger(be);
        if (v.bitLength() > 63) throw in.fail("pickle integer of " + v.bitLength() + " bits is too large");
        return v.longValue();
    }

    private String line() throws ModelFormatException {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = in.u8("GLOBAL")) != '\n'; ) {
            if (sb.length() > 256) throw in.fail("pickle GLOBAL name too long");
            sb.append((char) c);
        }
        return sb.toString();
    }

    private Object get(long key) throws ModelFormatException {
        if (!memo.containsKey(key)) throw in.fail("pickle refers to unknown memo entry " + key);
        return memo.get(key);
    }

    private Object pop() throws ModelFormatException {
        if (stack.isEmpty()) throw in.fail("pickle stack underflow at offset " + in.position());
        Object o = stack.removeLast();
        if (o == MARK) throw in.fail("pickle pops a MARK at offset " + in.position());
        return o;
    }

    private Object peek() throws ModelFormatException {
        if (stack.isEmpty() || stack.getLast() == MARK) throw in.fail("pickle stack underflow at offset " + in.position());
        return stack.getLast();
    }

    private List<Object> popMark() throws ModelFormatException {
        int m = stack.lastIndexOf(MARK);
        if (m < 0) throw in.fail("pickle has no MARK at offset " + in.position());
        List<Object> items = new ArrayList<>(stack.subList(m + 1, stack.size()));
        stack.subList(m, stack.size()).clear();
        return items;
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o) throws ModelFormatException {
        if (o instanceof ArrayList<?> l) return (List<Object>) l;
        throw in.fail("pickle appends to a non-list " + ModelFormatException.shown(o));
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o) throws ModelFormatException {
        if (o instanceof Map<?, ?> m) return (Map<Object, Object>) m;
        throw in.fail("pickle sets an item on a non-dict " + ModelFormatException.shown(o));
    }
}
