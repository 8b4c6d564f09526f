package dev.rwkvedge.studio.views.spectra;

import java.util.List;
import javafx.scene.paint.Color;
import javafx.scene.paint.CycleMethod;
import javafx.scene.paint.LinearGradient;
import javafx.scene.paint.Stop;

/**
 * Viridis, sampled at five stops: perceptually even and readable in greyscale and by colour-blind viewers, which a
 * projector audience needs more than a rainbow.
 */
public final class ColorScale {
    private static final Color[] STOPS = {Color.web("#440154"), Color.web("#3b528b"), Color.web("#21918c"),
        Color.web("#5ec962"), Color.web("#fde725")};
    public static final Color MISSING = Color.web("#9e9e9e");

    private ColorScale() {}

    /** The colour of t in [0, 1] (clamped); NaN is grey. */
    public static Color at(double t) {
        if (Double.isNaN(t)) return MISSING;
        double x = Math.clamp(t, 0, 1) * (STOPS.length - 1);
        int i = Math.min((int) x, STOPS.length - 2);
        return STOPS[i].interpolate(STOPS[i + 1], x - i);
    }

    /** Dark text on the bright end, light text on the dark end. */
    public static Color textOn(Color c) {
        return c.getBrightness() * (1 - 0.5 * c.getSaturation()) > 0.55 ? Color.BLACK : Color.WHITE;
    }

    public static LinearGradient horizontal() {
        List<Stop> stops = new java.util.ArrayList<>();
        for (int i = 0; i < STOPS.length; i++) stops.add(new Stop((double) i / (STOPS.length - 1), STOPS[i]));
        return new LinearGradient(0, 0, 1, 0, true, CycleMethod.NO_CYCLE, stops);
    }
}
