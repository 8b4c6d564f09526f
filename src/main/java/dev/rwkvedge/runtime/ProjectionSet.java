package dev.rwkvedge.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The named projections of one block part; substitution replaces entries in place. */
final class ProjectionSet {
    private final Map<String, Projection> byName = new LinkedHashMap<>();

    Projection put(String name, Projection p) {
        if (p != null) byName.put(name, p);
        return p;
    }

    Projection get(String name) {
        return byName.get(name);
    }

    void replace(String name, Projection p) {
        Projection old = byName.get(name);
        if (old == null) throw new IllegalArgumentException("no projection " + name);
        if (old.inDim() != p.inDim() || old.outDim() != p.outDim()) {
            throw new IllegalArgumentException(name + ": replacement is " + p.outDim() + "x" + p.inDim() + ", expected "
                    + old.outDim() + "x" + old.inDim());
        }
        byName.put(name, p);
    }

    Map<String, Projection> view() {
        return Collections.unmodifiableMap(byName);
    }
}
