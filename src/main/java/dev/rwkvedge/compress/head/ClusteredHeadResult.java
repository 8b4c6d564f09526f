package dev.rwkvedge.compress.head;

import dev.rwkvedge.runtime.Head;
import dev.rwkvedge.runtime.RwkvModel;

/** What the builder made, how it was trained and how well it follows the dense head; swaps it in and out. */
public record ClusteredHeadResult(ClusteredHead head, Head dense, KMeans.Result clustering, RouterTraining training,
                                  HeadReport report) {

    public void install(RwkvModel model) {
        model.setHead(head);
    }

    public void restore(RwkvModel model) {
        model.setHead(dense);
    }
}
