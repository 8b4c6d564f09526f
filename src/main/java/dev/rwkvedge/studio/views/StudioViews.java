package dev.rwkvedge.studio.views;

import dev.rwkvedge.studio.views.compress.CompressView;
import dev.rwkvedge.studio.views.generation.GenerationView;
import dev.rwkvedge.studio.views.overview.OverviewView;
import dev.rwkvedge.studio.views.sparsity.SparsityView;
import dev.rwkvedge.studio.views.spectra.SpectraView;
import java.util.List;
import java.util.function.Function;

/** The views the studio shows, as tabs in this order. */
public final class StudioViews {
    private StudioViews() {}

    public static List<Function<StudioContext, StudioView>> standard() {
        return List.of(OverviewView::new, SpectraView::new, SparsityView::new, CompressView::new,
                GenerationView::new);
    }
}
