package dev.rwkvedge.studio.ui;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import java.util.Objects;
import javafx.application.Application;
import javafx.scene.Scene;

/** The studio's two looks: AtlantaFX Primer as the user-agent stylesheet, plus the studio's own sheet on top. */
public enum Theme {
    LIGHT("Light", new PrimerLight().getUserAgentStylesheet()),
    DARK("Dark", new PrimerDark().getUserAgentStylesheet());

    public static final String STUDIO_CSS =
            Objects.requireNonNull(Theme.class.getResource("/dev/rwkvedge/studio/studio.css")).toExternalForm();

    public final String label;
    public final String userAgentStylesheet;

    Theme(String label, String userAgentStylesheet) {
        this.label = label;
        this.userAgentStylesheet = userAgentStylesheet;
    }

    /** Applies to the whole application (every window, dialogs included). */
    public void apply(Scene scene) {
        Application.setUserAgentStylesheet(userAgentStylesheet);
        if (!scene.getStylesheets().contains(STUDIO_CSS)) scene.getStylesheets().add(STUDIO_CSS);
        scene.getRoot().getStyleClass().removeAll("light", "dark");
        scene.getRoot().getStyleClass().add(name().toLowerCase());
    }

    public static Theme parse(String s) {
        for (Theme t : values()) if (t.name().equalsIgnoreCase(s)) return t;
        throw new IllegalArgumentException("unknown theme '" + s + "' (light or dark)");
    }
}
