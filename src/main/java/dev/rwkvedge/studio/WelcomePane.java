package dev.rwkvedge.studio;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.layout.VBox;

/** What the window shows without a model: why there is none, and how to get one. */
final class WelcomePane {
    private final Label message = new Label();
    private final VBox root;

    WelcomePane(Runnable onOpen) {
        Label title = new Label("RWKV Edge Studio");
        title.getStyleClass().add("welcome-title");
        message.setId("welcome-message");
        message.setWrapText(true);
        message.setMaxWidth(560);
        message.getStyleClass().add("welcome-message");
        Label hint = new Label("Model files: BlinkDL .pth, .safetensors, rwkv.cpp .bin, GGUF. "
                + "You can also drop a file onto this window.");
        hint.setWrapText(true);
        hint.setMaxWidth(560);
        hint.getStyleClass().add("muted");
        Button open = new Button("Open a model...");
        open.setId("welcome-open");
        open.getStyleClass().add("accent");
        open.setOnAction(e -> onOpen.run());
        ImageView logo = new ImageView(StudioWindow.ICON);
        logo.setFitWidth(96);
        logo.setFitHeight(96);
        root = new VBox(14, logo, title, message, open, hint);
        root.setAlignment(Pos.CENTER);
        root.getStyleClass().add("welcome");
    }

    void setMessage(String text) {
        message.setText(text);
    }

    VBox node() {
        return root;
    }
}
