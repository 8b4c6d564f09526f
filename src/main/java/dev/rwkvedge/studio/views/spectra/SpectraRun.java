package dev.rwkvedge.studio.views.spectra;

import dev.rwkvedge.analysis.AnalysisCache;
import dev.rwkvedge.studio.session.OpenModel;

/** One finished analysis, with the model it belongs to (a result for a model since replaced is dropped). */
public record SpectraRun(OpenModel model, AnalysisCache.Result result, long nanos) {}
