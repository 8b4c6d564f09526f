package dev.rwkvedge.studio;

import dev.rwkvedge.compress.Recipe;
import dev.rwkvedge.studio.ui.Presentation;
import dev.rwkvedge.studio.ui.Theme;
import dev.rwkvedge.studio.views.StudioView;
import dev.rwkvedge.studio.views.compress.CompressView;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCombination;

/** File, View (themes, presenter mode, zoom), Go (the tabs), Compress (Evaluate and the main knobs), Help. */
final class StudioMenus {
    private final StudioWindow window;
    private final Menu recent = new Menu("Open Recent");
    private final ToggleGroup themes = new ToggleGroup();
    private final MenuBar bar;

    StudioMenus(StudioWindow window) {
        this.window = window;
        MenuItem open = item("Open...", "Shortcut+O", window::chooseAndOpen);
        open.setId("menu-open");
        recent.setId("menu-recent");
        MenuItem close = item("Close", "Shortcut+W", () -> window.session().close());
        close.disableProperty().bind(window.session().modelProperty().isNull());
        MenuItem quit = item("Quit", "Shortcut+Q", window::quit);
        Menu file = new Menu("File", null, open, recent, close, new SeparatorMenuItem(), quit);

        Menu view = new Menu("View");
        for (Theme t : Theme.values()) {
            RadioMenuItem r = new RadioMenuItem(t.label + " theme");
            r.setId("menu-theme-" + t.name().toLowerCase());
            r.setToggleGroup(themes);
            r.setUserData(t);
            r.setSelected(t == window.theme());
            r.setOnAction(e -> window.setTheme(t));
            view.getItems().add(r);
        }

        CheckMenuItem presenter = new CheckMenuItem("Presenter mode");
        presenter.setId("menu-presenter");
        presenter.setAccelerator(KeyCombination.keyCombination("Shortcut+Shift+P"));
        presenter.selectedProperty().bindBidirectional(window.presentation().presenterProperty());
        Presentation zoom = window.presentation();
        view.getItems().addAll(new SeparatorMenuItem(), presenter,
                item("Zoom In", "Shortcut+Plus", zoom::zoomIn),
                item("Zoom Out", "Shortcut+Minus", zoom::zoomOut),
                item("Actual Size", "Shortcut+0", zoom::actualSize));

        Menu go = new Menu("Go");
        List<StudioView> views = window.views();
        for (int i = 0; i < views.size(); i++) {
            StudioView v = views.get(i);
            MenuItem m = item(v.title(), i < 9 ? "Shortcut+" + (i + 1) : null, () -> window.select(v.id()));
            m.setId("menu-go-" + v.id());
            m.disableProperty().bind(window.session().modelProperty().isNull());
            go.getItems().add(m);
        }

        Menu knobs = new Menu("Compress", null,
                knob("Evaluate", "Shortcut+E", c -> c.scoreCurrent()),
                knob("Fit to size", "Shortcut+Shift+F", c -> c.fitToSize()),
                new SeparatorMenuItem(),
                recipeKnob("Low rank on/off", "Alt+L", KnobShortcuts.TOGGLE_LOW_RANK),
                recipeKnob("Higher rank", "Alt+Up", KnobShortcuts.RANK_UP),
                recipeKnob("Lower rank", "Alt+Down", KnobShortcuts.RANK_DOWN),
                recipeKnob("int8 on/off", "Alt+I", KnobShortcuts.TOGGLE_INT8),
                recipeKnob("Embedding cache on/off", "Alt+M", KnobShortcuts.TOGGLE_EMBEDDING_CACHE),
                new SeparatorMenuItem(),
                recipeKnob("Sparse FFN on/off", "Alt+S", KnobShortcuts.TOGGLE_SPARSE),
                recipeKnob("Higher sparse threshold", "Alt+Shift+Up", KnobShortcuts.THRESHOLD_UP),
                recipeKnob("Lower sparse threshold", "Alt+Shift+Down", KnobShortcuts.THRESHOLD_DOWN),
                new SeparatorMenuItem(),
                recipeKnob("Clustered head on/off", "Alt+H", KnobShortcuts.TOGGLE_HEAD),
                recipeKnob("More head coverage", "Alt+Right", KnobShortcuts.COVERAGE_UP),
                recipeKnob("Less head coverage", "Alt+Left", KnobShortcuts.COVERAGE_DOWN),
                recipeKnob("More head clusters", "Alt+Shift+Right", KnobShortcuts.CLUSTERS_UP),
                recipeKnob("Fewer head clusters", "Alt+Shift+Left", KnobShortcuts.CLUSTERS_DOWN));
        knobs.setId("menu-compress");

        Menu help = new Menu("Help", null, item("About RWKV Edge Studio", null, window::showAbout));
        bar = new MenuBar(file, view, go, knobs, help);
        bar.setUseSystemMenuBar(true);
    }

    /** A Compress action from anywhere: shows the Compress tab, then acts on its current recipe. */
    private MenuItem knob(String text, String accelerator, Consumer<CompressView> action) {
        MenuItem m = item(text, accelerator, () -> {
            window.select("compress");
            action.accept(window.view(CompressView.class));
        });
        m.disableProperty().bind(window.session().modelProperty().isNull());
        return m;
    }

    private MenuItem recipeKnob(String text, String accelerator, UnaryOperator<Recipe> edit) {
        return knob(text, accelerator, c -> {
            if (c.recipe() != null) c.load(edit.apply(c.recipe()));
        });
    }

    private static MenuItem item(String text, String accelerator, Runnable action) {
        MenuItem m = new MenuItem(text);
        if (accelerator != null) m.setAccelerator(KeyCombination.keyCombination(accelerator));
        m.setOnAction(e -> action.run());
        return m;
    }

    void showRecent(List<String> files) {
        recent.getItems().clear();
        for (String f : files) {
            MenuItem m = new MenuItem(f);
            m.setMnemonicParsing(false);
            m.setOnAction(e -> window.open(Path.of(f)));
            recent.getItems().add(m);
        }
        if (!files.isEmpty()) {
            recent.getItems().addAll(new SeparatorMenuItem(), item("Clear list", null, window::clearRecent));
        }
        recent.setDisable(files.isEmpty());
    }

    void showTheme(Theme t) {
        themes.getToggles().forEach(tg -> tg.setSelected(tg.getUserData() == t));
    }

    MenuBar node() {
        return bar;
    }
}
