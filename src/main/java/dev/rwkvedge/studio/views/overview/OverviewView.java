package dev.rwkvedge.studio.views.overview;

import dev.rwkvedge.model.ModelConfig;
import dev.rwkvedge.model.ModelSummary;
import dev.rwkvedge.studio.session.OpenModel;
import dev.rwkvedge.studio.ui.Formats;
import dev.rwkvedge.studio.views.ExportActions;
import dev.rwkvedge.studio.views.StudioContext;
import dev.rwkvedge.studio.views.StudioView;
import java.util.Arrays;
import java.util.stream.Collectors;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** What the open model is: its shapes, its size, and where its parameters and bytes go. */
public final class OverviewView implements StudioView {
    private final Label fileName = new Label();
    private final Label fileDetail = new Label();
    private final FactGrid facts = new FactGrid();
    private final ComponentChart chart = new ComponentChart();
    private final LayerTable layers = new LayerTable();
    private final ExportActions chartExport = new ExportActions(chart.node(), chart::data, "components");
    private final ScrollPane root;

    public OverviewView(StudioContext ctx) {
        fileName.setId("file-name");
        fileName.getStyleClass().add("view-title");
        fileDetail.getStyleClass().add("muted");
        facts.add("generation", "Generation");
        facts.add("layers", "Layers");
        facts.add("embedding", "Embedding");
        facts.add("vocabulary", "Vocabulary");
        facts.add("heads", "Heads");
        facts.add("ffn", "FFN size");
        facts.add("lora", "LoRA dims");
        facts.add("parameters", "Parameters");
        facts.add("file-size", "File size");

        chartExport.installContextMenu();
        Label chartTitle = new Label("Components");
        chartTitle.getStyleClass().add("section-title");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox chartHeader = new HBox(8, chartTitle, spacer, chartExport.buttons());
        chartHeader.setAlignment(Pos.CENTER_LEFT);
        VBox chartBox = new VBox(4, chartHeader, chart.node());
        VBox.setVgrow(chart.node(), Priority.ALWAYS);
        chartBox.getStyleClass().add("card");
        HBox.setHgrow(chartBox, Priority.ALWAYS);
        chartBox.setPrefWidth(480);

        Label layerTitle = new Label("Parameters per layer");
        layerTitle.getStyleClass().add("section-title");
        VBox layerBox = new VBox(4, layerTitle, layers.node());
        VBox.setVgrow(layers.node(), Priority.ALWAYS);
        layerBox.getStyleClass().add("card");
        HBox.setHgrow(layerBox, Priority.ALWAYS);
        layerBox.setPrefWidth(560);

        HBox panels = new HBox(12, chartBox, layerBox);
        panels.setMinHeight(320);
        VBox.setVgrow(panels, Priority.ALWAYS);
        VBox content = new VBox(12, new VBox(2, fileName, fileDetail), facts.pane(), panels);
        content.setPadding(new Insets(16));
        root = new ScrollPane(content);
        root.setFitToWidth(true);
        root.setFitToHeight(true);
        root.getStyleClass().add("edge-to-edge");

        ctx.session().modelProperty().subscribe(this::show);
    }

    private void show(OpenModel m) {
        if (m == null) {
            chart.show(null);
            layers.show(java.util.List.of());
            return;
        }
        ModelSummary s = m.summary();
        ModelConfig c = m.config();
        fileName.setText(s.file());
        fileDetail.setText(m.path().toAbsolutePath().getParent() + "  ·  " + s.format());
        facts.set("generation", c.generation().toString());
        facts.set("layers", Integer.toString(c.layers()));
        facts.set("embedding", Integer.toString(c.embd()));
        facts.set("vocabulary", Formats.grouped(c.vocab()));
        facts.set("heads", c.heads() > 0 ? c.heads() + " × " + c.headSize() : "");
        facts.set("ffn", Integer.toString(c.ffn()));
        facts.set("lora", c.loraDims().length == 0 ? ""
                : Arrays.stream(c.loraDims()).mapToObj(Integer::toString).collect(Collectors.joining(" / ")));
        facts.set("parameters", Formats.count(s.parameters()));
        facts.set("file-size", Formats.bytes(s.fileBytes()));
        chart.show(s);
        layers.show(m.layers());
    }

    public ExportActions chartExport() {
        return chartExport;
    }

    @Override
    public String id() {
        return "overview";
    }

    @Override
    public String title() {
        return "Overview";
    }

    @Override
    public Node root() {
        return root;
    }
}
