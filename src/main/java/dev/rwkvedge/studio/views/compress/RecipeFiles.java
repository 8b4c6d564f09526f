package dev.rwkvedge.studio.views.compress;

import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.studio.ui.ErrorDialogs;
import java.io.File;
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
    private final RecipeForm form;
    private final HBox buttons;

    RecipeFiles(RecipeForm form) {
        this.form = form;
        Button save = new Button("Save...");
        save.setId("recipe-save");
        save.setOnAction(e -> save());
        Button load = new Button("Load...");
        load.setId("recipe-load");
        load.setOnAction(e -> load());
        Button reset = new Button("Reset");
        reset.setId("recipe-reset");
        reset.setOnAction(e -> form.load(Recipe.paperLowRank()));
        buttons = new HBox(6, save, load, reset);
    }

    Node buttons() {
        return buttons;
    }

    void write(Path file) throws IOException {
        Files.writeString(file, form.recipe().toJson() + "\n");
    }

    void read(Path file) throws IOException {
        form.load(Recipe.read(file));
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
