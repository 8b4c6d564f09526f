package dev.rwkvedge.studio.ui;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.Node;
import javafx.scene.SnapshotParameters;
import javafx.scene.image.Image;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.BackgroundFill;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javax.imageio.ImageIO;

/** Writes JavaFX images as PNG without javafx-swing (not on our classpath): pixels go through a BufferedImage. */
public final class PngFiles {
    private PngFiles() {}

    public static void write(Image image, Path file) throws IOException {
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        PixelReader px = image.getPixelReader();
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            px.getPixels(0, y, w, 1, javafx.scene.image.PixelFormat.getIntArgbInstance(), row, 0, w);
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        if (!ImageIO.write(out, "png", file.toFile())) throw new IOException("no PNG writer for " + file);
    }

    /** The colour the node appears on: the nearest ancestor's background, else white. */
    public static Color backgroundOf(Node node) {
        for (Node n = node; n != null; n = n.getParent()) {
            if (n instanceof Region r && r.getBackground() != null) {
                for (BackgroundFill f : r.getBackground().getFills()) {
                    if (f.getFill() instanceof Color c && c.getOpacity() > 0.99) return c;
                }
            }
        }
        return Color.WHITE;
    }

    /** A node as drawn, on the given background (charts are transparent by default). Call on the FX thread. */
    public static WritableImage snapshot(Node node, Color background) {
        SnapshotParameters p = new SnapshotParameters();
        p.setFill(background);
        return node.snapshot(p, null);
    }
}
