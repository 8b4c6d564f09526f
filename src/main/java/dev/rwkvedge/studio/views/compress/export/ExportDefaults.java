package dev.rwkvedge.studio.views.compress.export;

import java.nio.file.Path;

/** Where an export goes and what it is called until the user says otherwise. */
final class ExportDefaults {
    private ExportDefaults() {}

    /** The source model's file name without its extension: each format adds its own suffix. */
    static String baseName(Path source) {
        String f = source.getFileName().toString();
        int dot = f.lastIndexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }

    /**
     * The user's home folder: the user's own place, never the source model's folder (for the sample that is
     * models-sample/, which packaging bundles and where a written .pth would pass for the sample model).
     */
    static Path folder() {
        return Path.of(System.getProperty("user.home", ".")).toAbsolutePath().normalize();
    }
}
