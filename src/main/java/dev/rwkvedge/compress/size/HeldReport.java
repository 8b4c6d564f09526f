package dev.rwkvedge.compress.size;

import dev.rwkvedge.compress.SizeReport;
import dev.rwkvedge.compress.embedding.CachedEmbedding;
import dev.rwkvedge.compress.head.ClusteredHead;
import dev.rwkvedge.compress.resident.RowTable;
import dev.rwkvedge.compress.sparse.SparseChannelMix;
import dev.rwkvedge.runtime.Block;
import dev.rwkvedge.runtime.Projection;
import dev.rwkvedge.runtime.RwkvModel;
import java.util.ArrayList;
import java.util.List;

/**
 * What each part of a model holds while it generates, item by item (the lines under `compress`'s and `info`'s size
 * table): the resident bytes of {@link SizeReport} taken apart, so a reader sees which tables stay in memory, which
 * caches stand in for tables read by position, and how large each is. Every part's items add up to its resident
 * bytes in the size report.
 */
public final class HeldReport {
    private HeldReport() {}

    /** One item a part holds. */
    public record Item(String what, long bytes) {}

    /** One part: its resident bytes and what they are. */
    public record Line(String component, long bytes, List<Item> items) {
        /** "router 49,408 + cluster index 33,028 + ..." */
        public String text() {
            StringBuilder b = new StringBuilder();
            for (Item i : items) {
                if (i.bytes() == 0) continue;
                if (!b.isEmpty()) b.append(" + ");
                b.append(i.what()).append(' ').append(String.format("%,d", i.bytes()));
            }
            return b.toString();
        }
    }

    public static List<Line> of(RwkvModel model) {
        List<Line> lines = new ArrayList<>();
        lines.add(embedding(model));
        long matrices = 0, vectors = 0, channel = 0, predictors = 0, bundles = 0;
        int sparse = 0, cacheNeurons = 0;
        for (Block b : model.blocks()) {
            for (Projection p : b.timeMix().projections().values()) matrices += p.residentBytes();
            vectors += 4 * b.timeMix().vectorParameters();
            if (b.channelMix() instanceof SparseChannelMix s) {
                sparse++;
                cacheNeurons = s.cacheNeurons();
                predictors += s.predictor().residentBytes();
                bundles += s.bundleBytes();
                channel += s.residentBytes() - s.predictor().residentBytes() - s.bundleBytes();
            } else {
                channel += b.channelMix().residentBytes();
            }
        }
        lines.add(line("time-mix", new Item("matrices", matrices), new Item("vectors", vectors)));
        if (sparse > 0) {
            lines.add(line("channel-mix", new Item("predictors", predictors),
                    new Item(sparse + " neuron caches of " + cacheNeurons + " bundles (rest read by position)", bundles),
                    new Item(sparse == model.blocks().size() ? "mixes" : "mixes and dense layers", channel)));
        } else {
            lines.add(line("channel-mix", new Item("matrices and mixes", channel)));
        }
        var cfg = model.config();
        long norms = 4L * (4L * cfg.embd() * cfg.layers() + 2L * cfg.embd() + (cfg.hasLn0() ? 2L * cfg.embd() : 0));
        lines.add(line("norms", new Item("vectors", norms)));
        lines.add(head(model));
        return lines;
    }

    private static Line embedding(RwkvModel model) {
        if (model.embedding() instanceof CachedEmbedding e) {
            return line("embedding", table(e.table(), "rows", e.residentBytes()));
        }
        return line("embedding", new Item("table", model.embedding().residentBytes()));
    }

    private static Line head(RwkvModel model) {
        if (model.head() instanceof ClusteredHead h) {
            long tail = h.tail() == null ? 0 : h.tail().bytes();
            long rows = h.rows().residentBytes();
            long router = h.residentBytes() - tail - rows - h.index().bytes();
            List<Item> items = new ArrayList<>();
            items.add(new Item("router", router));
            items.add(new Item("cluster index", h.index().bytes()));
            items.addAll(table(h.rows(), "head rows", rows));
            if (h.tail() != null) items.add(new Item("rank-" + h.tail().rank() + " tail estimate", tail));
            return new Line("head", h.residentBytes(), items);
        }
        return line("head", new Item("matrix", model.head().residentBytes()));
    }

    /** A table read by position: its cache and, for int8 rows, the resident row scales. */
    private static List<Item> table(RowTable t, String rows, long total) {
        long scales = t.scales() == null ? 0 : 4L * t.rows();
        return List.of(new Item(t.cache().capacity() + "-row " + t.precision().name().toLowerCase() + " cache of "
                + rows + " (rest read by position)", total - scales), new Item("row scales", scales));
    }

    private static Line line(String component, List<Item> items) {
        return new Line(component, items.stream().mapToLong(Item::bytes).sum(), items);
    }

    private static Line line(String component, Item... items) {
        return line(component, List.of(items));
    }
}
