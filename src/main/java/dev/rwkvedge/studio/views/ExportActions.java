package dev.rwkvedge.studio.views;

import dev.rwkvedge.studio.ui.CsvTable;
import dev.rwkvedge.studio.ui.ErrorDialogs;
import dev.rwkvedge.studio.ui.PngFiles;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Supplier;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.layout.HBox;
import javafx.stage.FileChooser;

/** "Save as PNG" and "Save data as CSV" for a chart: small buttons beside it and the same in its context menu. */
public final class ExportActions {
    private final Node chart;
    private final Supplier<CsvTable> data;
    private final String baseName;

    public ExportActions(Node chart, Supplier<CsvTable> data, String baseName) {
        this.chart = chart;
        this.data = data;
        this.baseName = baseName;
    }

    public HBox buttons() {
        Button png = new Button("PNG");
        png.getStyleClass().addAll("small", "flat");
        png.setOnAction(e -> savePng());
        Button csv = new Button("CSV");
        csv.getStyleClass().addAll("small", "flat");
        csv.setOnAction(e -> saveCsv());
        HBox box = new HBox(4, png, csv);
        box.getStyleClass().add("export-buttons");
        return box;
    }

    public void installContextMenu() {
        MenuItem png = new MenuItem("Save chart as PNG...");
        png.setOnAction(e -> savePng());
        MenuItem csv = new MenuItem("Save data as CSV...");
        csv.setOnAction(e -> saveCsv());
        ContextMenu menu = new ContextMenu(png, csv);
        chart.setOnContextMenuRequested(e -> menu.show(chart, e.getScreenX(), e.getScreenY()));
    }

    /** The data behind the chart, as it would be saved. */
    public CsvTable csv() {
        return data.get();
    }

    /** Writes the chart as it is drawn now, on the theme's background. */
    public void writePng(Path file) throws IOException {
        PngFiles.write(PngFiles.snapshot(chart, PngFiles.backgroundOf(chart)), file);
    }

    private void savePng() {
        Path f = choose(baseName + ".png", "PNG image", "*.png");
        if (f == null) return;
        try {
            writePng(f);
        } catch (IOException ex) {
            ErrorDialogs.show(chart.getScene().getWindow(), "Saving " + f.getFileName(), ex);
        }
    }

    private void saveCsv() {
        Path f = choose(baseName + ".csv", "CSV table", "*.csv");
        if (f == null) return;
        try {
            data.get().write(f);
        } catch (IOException ex) {
            ErrorDialogs.show(chart.getScene().getWindow(), "Saving " + f.getFileName(), ex);
        }
    }

    private Path choose(String name, String description, String pattern) {
        FileChooser fc = new FileChooser();
        fc.setInitialFileName(name);
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter(description, pattern));
        File f = fc.showSaveDialog(chart.getScene().getWindow());
        return f == null ? null : f.toPath();
    }
}
