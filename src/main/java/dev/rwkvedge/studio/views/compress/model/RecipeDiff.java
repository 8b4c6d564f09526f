package dev.rwkvedge.studio.views.compress.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rwkvedge.compress.Recipe;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Where two recipes differ, setting by setting ("head.clusters: 64 -> 200"); a section one lacks reads "off". */
public final class RecipeDiff {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One setting that differs; a side without it is null. */
    public record Change(String path, String left, String right) {
        @Override
        public String toString() {
            return path + ": " + (left == null ? "off" : left) + " -> " + (right == null ? "off" : right);
        }
    }

    private RecipeDiff() {}

    public static List<Change> of(Recipe a, Recipe b) {
        Map<String, String> left = flatten(a), right = flatten(b);
        TreeMap<String, Change> out = new TreeMap<>();
        for (var e : left.entrySet()) {
            String r = right.get(e.getKey());
            if (!e.getValue().equals(r)) out.put(e.getKey(), new Change(e.getKey(), e.getValue(), r));
        }
        for (var e : right.entrySet()) {
            if (!left.containsKey(e.getKey())) out.put(e.getKey(), new Change(e.getKey(), null, e.getValue()));
        }
        return new ArrayList<>(out.values());
    }

    static Map<String, String> flatten(Recipe r) {
        Map<String, String> out = new TreeMap<>();
        try {
            flatten(JSON.readTree(r.toJson()), "", out);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static void flatten(JsonNode n, String path, Map<String, String> out) {
        if (n.isObject() && !n.isEmpty()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                var e = it.next();
                flatten(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out);
            }
        } else {
            // an empty section ("int8": {}) is on with its defaults
            out.put(path, n.isObject() ? "on" : n.isTextual() ? n.asText() : n.toString());
        }
    }
}
