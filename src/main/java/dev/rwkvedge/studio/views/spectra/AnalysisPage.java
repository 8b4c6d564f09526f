package dev.rwkvedge.studio.views.spectra;

import dev.rwkvedge.studio.views.ExportActions;
import java.util.Objects;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** The building blocks the analysis views share: their scrolling page, a header line, and cards with export buttons. */
public final class AnalysisPage {
    private static final String CSS = Objects.requireNonNull(
            AnalysisPage.class.getResource("/dev/rwkvedge/studio/analysis.css")).toExternalForm();

    private AnalysisPage() {}

    /** The page, with analysis.css (kept apart from studio.css so the theme rules stay in one file). */
    public static ScrollPane scrolling(Node content) {
        ScrollPane root = new ScrollPane(content);
        root.setFitToWidth(true);
        root.setFitToHeight(true);
        root.getStyleClass().add("edge-to-edge");
        root.getStylesheets().add(CSS);
        return root;
    }

    /** The view's title on the left, then {@code left} beside it, and {@code right} against the right edge. */
    public static HBox header(String title, Node[] left, Node... right) {
        Label t = new Label(title);
        t.getStyleClass().add("view-title");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(10, t);
        header.getChildren().addAll(left);
        header.getChildren().add(spacer);
        header.getChildren().addAll(right);
        header.setAlignment(Pos.CENTER_LEFT);
        return header;
    }

    /** A titled card whose PNG and CSV buttons save {@code export}'s chart and data; also its context menu. */
    public static VBox card(String title, ExportActions export, Node... body) {
        export.installContextMenu();
        Label t = new Label(title);
        t.getStyleClass().add("section-title");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox head = new HBox(8, t, spacer, export.buttons());
        head.setAlignment(Pos.CENTER_LEFT);
        VBox card = new VBox(6, head);
        card.getChildren().addAll(body);
        card.getStyleClass().add("card");
        return card;
    }
}
