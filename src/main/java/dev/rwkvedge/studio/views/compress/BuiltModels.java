package dev.rwkvedge.studio.views.compress;

import dev.rwkvedge.studio.session.CompressedModel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The compressed models built lately, by recipe JSON, so going back to a recent point is instant. Each holds its own
 * copies of the substituted matrices, so only a few are kept; the least recently used goes first, except one still in
 * use (the preview's), which stays until it is not. Use on the FX thread; closing happens through the given closer.
 */
final class BuiltModels {
    private final int capacity;
    private final Predicate<CompressedModel> inUse;
    private final Consumer<CompressedModel> closer;
    private final LinkedHashMap<String, CompressedModel> models = new LinkedHashMap<>(16, 0.75f, true);

    BuiltModels(int capacity, Predicate<CompressedModel> inUse, Consumer<CompressedModel> closer) {
        this.capacity = capacity;
        this.inUse = inUse;
        this.closer = closer;
    }

    CompressedModel get(String key) {
        return models.get(key);
    }

    void put(String key, CompressedModel m) {
        CompressedModel old = models.put(key, m);
        if (old != null && old != m) closer.accept(old);
        trim();
    }

    /** Drops models beyond the capacity, oldest first, keeping any in use. */
    void trim() {
        Iterator<Map.Entry<String, CompressedModel>> it = models.entrySet().iterator();
        int excess = models.size() - capacity;
        while (excess > 0 && it.hasNext()) {
            CompressedModel m = it.next().getValue();
            if (inUse.test(m)) continue;
            it.remove();
            closer.accept(m);
            excess--;
        }
    }

    void clear() {
        List<CompressedModel> all = new ArrayList<>(models.values());
        models.clear();
        all.forEach(closer);
    }
}
