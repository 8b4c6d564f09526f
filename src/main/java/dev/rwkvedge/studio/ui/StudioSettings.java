package dev.rwkvedge.studio.ui;

import java.util.ArrayList;
import java.util.List;

/** What the studio remembers between runs. */
public record StudioSettings(Theme theme, List<String> recentFiles) {
    public static final int MAX_RECENT = 8;

    public StudioSettings {
        theme = theme == null ? Theme.LIGHT : theme;
        recentFiles = recentFiles == null ? List.of() : List.copyOf(recentFiles);
    }

    public static StudioSettings defaults() {
        return new StudioSettings(Theme.LIGHT, List.of());
    }

    public StudioSettings withTheme(Theme t) {
        return new StudioSettings(t, recentFiles);
    }

    /** The file moves to the front; the list keeps the newest {@link #MAX_RECENT}. */
    public StudioSettings withRecent(String file) {
        List<String> l = new ArrayList<>(recentFiles);
        l.remove(file);
        l.addFirst(file);
        return new StudioSettings(theme, l.subList(0, Math.min(l.size(), MAX_RECENT)));
    }

    public StudioSettings withoutRecent() {
        return new StudioSettings(theme, List.of());
    }
}
