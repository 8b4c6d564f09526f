package dev.rwkvedge.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The named projections of one block part; substitution replaces entries in place. */
final class ProjectionSet {
    /** The place that holds one named projection: parts keep their slots, so no token pays for a lookup by name. */
    static final class Slot {
        private final String name;
        private Projection projection;

        private Slot(String name, Projection projection) {
            this.name = name;
            this.projection = projection;
        }

        String name() {
            return name;
        }

        Projection get() {
            return projection;
        }
    }

    private final Map<String, Slot> byName = new LinkedHashMap<>();

    /** Adds a projection; a null one (a part this generation lacks) gets an empty slot that is not listed. */
    Slot put(String name, Projection p) {
        Slot s = new Slot(name, p);
        if (p != null) byName.put(name, s);
        return s;
    }

    /** The slot of a projection added earlier. */
    Slot slot(String name) {
        Slot s = byName.get(name);
        return s != null ? s : new Slot(name, null);
    }

    void replace(String name, Projection p) {
        Slot s = byName.get(name);
        if (s == null) throw new IllegalArgumentException("no projection " + name);
        Projection old = s.projection;
        if (old.inDim() != p.inDim() || old.outDim() != p.outDim()) {
            throw new IllegalArgumentException(name + ": replacement is " + p.outDim() + "x" + p.inDim() + ", expected "
                    + old.outDim() + "x" + old.inDim());
        }
        s.projection = p;
    }

    Map<String, Projection> view() {
        Map<String, Projection> m = new LinkedHashMap<>();
        byName.forEach((name, s) -> m.put(name, s.projection));
        return Collections.unmodifiableMap(m);
    }
}
