package dev.rwkvedge.studio.views.compress;

import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.studio.ui.ErrorDialogs;
import dev.rwkvedge.io.AtomicFiles;
import java.io.File;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.layout.HBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/** Save, Load and Reset for the recipe in the knobs: the same JSON the CLI's --recipe reads. */
final class RecipeFiles {
    private final Supplier<Recipe> current;
    private final Consumer<Recipe> load;
    private final HBox buttons;

    RecipeFiles(Supplier<Recipe> current, Consumer<Recipe> load, Runnable resetAction) {
        this.current = current;
        this.load = load;
        Button save = new Button("Save...");
        save.setId("recipe-save");
        save.setOnAction(e -> save());
        Button loadButton = new Button("Load...");
        loadButton.setId("recipe-load");
        loadButton.setOnAction(e -> load());
        Button reset = new Button("Reset");
        reset.setId("recipe-reset");
        reset.setTooltip(new javafx.scene.control.Tooltip("Back to the paper's recipe, every setting at its default"));
        reset.setOnAction(e -> resetAction.run());
        buttons = new HBox(6, save, loadButton, reset);
    }

    Node buttons() {
        return buttons;
    }

    void write(Path file) throws IOException {
        AtomicFiles.write(file, (current.get().toJson() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    void read(Path file) throws IOException {
        load.accept(Recipe.read(file));
    }

    private void save() {
        Path f = choose(true);
        if (f == null) return;
        try {
            write(f);
        } catch (IOException ex) {
            ErrorDialogs.show(window(), "Saving " + f.getFileName(), ex);
        }
    }

    private void load() {
        Path f = choose(false);
        if (f == null) return;
        try {
            read(f);
        } catch (IOException ex) {
            ErrorDialogs.show(window(), "Loading " + f.getFileName(), ex);
        }
    }

    private Path choose(boolean saving) {
        FileChooser fc = new FileChooser();
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Recipe (JSON)", "*.json"));
        fc.setInitialFileName("recipe.json");
        File f = saving ? fc.showSaveDialog(window()) : fc.showOpenDialog(window());
        return f == null ? null : f.toPath();
    }

    private Window window() {
        return buttons.getScene() == null ? null : buttons.getScene().getWindow();
    }
}
