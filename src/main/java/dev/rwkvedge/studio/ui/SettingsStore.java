package dev.rwkvedge.studio.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps {@link StudioSettings} as JSON in the config folder: $RWKV_STUDIO_CONFIG, else $XDG_CONFIG_HOME or ~/.config,
 * under rwkv-edge-studio. A missing or unreadable file means defaults: losing the recent list must not stop the app.
 */
public final class SettingsStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Path file;

    public SettingsStore(Path folder) {
        this.file = folder.resolve("settings.json");
    }

    public static SettingsStore standard() {
        String own = System.getenv("RWKV_STUDIO_CONFIG");
        if (own != null && !own.isBlank()) return new SettingsStore(Path.of(own));
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return new SettingsStore(base.resolve("rwkv-edge-studio"));
    }

    public StudioSettings load() {
        if (!Files.isRegularFile(file)) return StudioSettings.defaults();
        try {
            return JSON.readValue(file.toFile(), StudioSettings.class);
        } catch (IOException e) {
            System.err.println("studio: ignoring unreadable settings " + file + ": " + e.getMessage());
            return StudioSettings.defaults();
        }
    }

    public void save(StudioSettings s) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), s);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            System.err.println("studio: cannot save settings to " + file + ": " + e.getMessage());
        }
    }

    public Path file() {
        return file;
    }
}
