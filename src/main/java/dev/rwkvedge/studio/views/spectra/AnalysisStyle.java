package dev.rwkvedge.studio.views.spectra;

import java.util.Objects;
import javafx.scene.Parent;

/** The analysis views' own stylesheet (analysis.css), kept beside the studio's so the theme rules stay in one file. */
public final class AnalysisStyle {
    private static final String CSS = Objects.requireNonNull(
            AnalysisStyle.class.getResource("/dev/rwkvedge/studio/analysis.css")).toExternalForm();

    private AnalysisStyle() {}

    public static void apply(Parent root) {
        root.getStylesheets().add(CSS);
    }
}
