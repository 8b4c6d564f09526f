package dev.rwkvedge.studio.ui;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.DoubleBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.transform.Scale;

/**
 * Zoom and presenter mode for the whole window. The window's content is laid out in a smaller virtual area and scaled
 * up to fill the window, so text, charts (labels included), icons and spacing grow together and a layout that fits
 * at one size fits at every zoom: nothing is elided that was not elided at 1x.
 *
 * <p>Presenter mode sizes the content to the screen: it keeps the proportions of the studio at 1024x768 (where a
 * projector's picture is already large), so on a 1920x1080 projector everything is about 1.4x larger; the presenter
 * style class adds larger chart labels and generated text. Ctrl+plus and Ctrl+minus multiply on top of either.
 */
public final class Presentation {
    public static final double STEP = 1.1;
    public static final double MIN = 0.6;
    public static final double MAX = 3.0;
    /** The size presenter mode keeps the proportions of. */
    static final double BASE_WIDTH = 1024, BASE_HEIGHT = 768;
    public static final String STYLE_CLASS = "presenter";

    private final Region content;
    private final DoubleProperty zoom = new SimpleDoubleProperty(this, "zoom", 1);
    private final BooleanProperty presenter = new SimpleBooleanProperty(this, "presenter", false);
    private final Scale scale = new Scale(1, 1, 0, 0);
    private final Pane frame;
    private final DoubleBinding effective;

    public Presentation(Region content) {
        this.content = content;
        frame = new Pane(content) {
            @Override
            protected void layoutChildren() {
                double z = effective.get();
                content.resizeRelocate(0, 0, getWidth() / z, getHeight() / z);
            }
        };
        frame.setId("presentation");
        effective = Bindings.createDoubleBinding(() -> zoom.get() * (presenter.get()
                        ? Math.max(1, Math.min(frame.getWidth() / BASE_WIDTH, frame.getHeight() / BASE_HEIGHT)) : 1),
                zoom, presenter, frame.widthProperty(), frame.heightProperty());
        scale.xProperty().bind(effective);
        scale.yProperty().bind(effective);
        content.getTransforms().add(scale);
        effective.subscribe(z -> frame.requestLayout());
        presenter.subscribe(on -> {
            content.getStyleClass().remove(STYLE_CLASS);
            if (on) content.getStyleClass().add(STYLE_CLASS);
        });
    }

    /** The scene's root: holds the content, scaled. */
    public Pane node() {
        return frame;
    }

    public void zoomIn() {
        zoom.set(Math.min(MAX, zoom.get() * STEP));
    }

    public void zoomOut() {
        zoom.set(Math.max(MIN, zoom.get() / STEP));
    }

    public void actualSize() {
        zoom.set(1);
    }

    /** The user's zoom (Ctrl+plus/minus), before presenter mode's fit to the screen. */
    public DoubleProperty zoomProperty() {
        return zoom;
    }

    public BooleanProperty presenterProperty() {
        return presenter;
    }

    /** The scale the content is drawn at now. */
    public double effectiveZoom() {
        return effective.get();
    }
}
