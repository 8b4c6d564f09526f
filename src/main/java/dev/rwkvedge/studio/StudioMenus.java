package dev.rwkvedge.studio;

import dev.rwkvedge.studio.ui.Theme;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCombination;

/** File, View and Help menus of the main window. */
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

        Menu help = new Menu("Help", null, item("About RWKV Edge Studio", null, window::showAbout));
        bar = new MenuBar(file, view, help);
        bar.setUseSystemMenuBar(true);
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
