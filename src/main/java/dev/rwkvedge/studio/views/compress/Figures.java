package dev.rwkvedge.studio.views.compress;

import dev.rwkvedge.compress.SizeReport;
import dev.rwkvedge.studio.ui.Formats;
import java.util.Locale;
import java.util.stream.Collectors;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The current recipe's numbers in large print: both sizes (resident while generating, and the exported file) against
 * the dense model in fp16, agreement with dense, and the task score with its interval.
 */
final class Figures {
    private final Label size = figure("size-figure");
    private final Label sizeDetail = detail("size-detail");
    private final Label file = figure("file-figure");
    private final Label fileDetail = detail("file-detail");
    private final Label quality = figure("quality-figure");
    private final Label qualityDetail = detail("quality-detail");
    private final Label task = figure("task-score");
    private final Label taskDetail = detail("task-detail");
    private final HBox root;

    Figures() {
        root = new HBox(12, card("Resident size", size, sizeDetail), card("Exported file", file, fileDetail),
                card("Agreement with dense", quality, qualityDetail), card("Last-word accuracy", task, taskDetail));
        root.setId("compress-figures");
        clear();
    }

    /** The ratios as the view shows them under the resident size: "4.20 x smaller than fp16 · 8.40 x ... fp32". */
    public static String ratioText(SizeReport s) {
        return SizeWords.vsFp16(s.residentBytes(), s.baselineFp16Bytes()) + " · "
                + SizeWords.vs(s.residentBytes(), s.baselineFp32Bytes(), "fp32");
    }

    void clear() {
        for (Label l : new Label[] {size, file, quality, task}) l.setText("-");
        for (Label l : new Label[] {sizeDetail, fileDetail, qualityDetail, taskDetail}) l.setText("");
    }

    /** While the recipe is being built. */
    void computing() {
        sizeDetail.setText("compressing...");
    }

    void show(TradeOffPoint p, int tokens, boolean heldOut, String taskStatus) {
        SizeReport s = p.size();
        size.setText(Formats.bytes(s.residentBytes()));
        sizeDetail.setText(ratioText(s));
        Tooltip parts = new Tooltip(s.parts().stream()
                .map(x -> x.component() + ": " + Formats.bytes(x.residentBytes()) + " (" + Formats.count(x.parameters()) + " parameters)")
                .collect(Collectors.joining("\n")) + "\n\ndense baseline: " + Formats.bytes(s.baselineFp16Bytes())
                + " in fp16, " + Formats.bytes(s.baselineFp32Bytes()) + " in fp32");
        size.setTooltip(parts);
        sizeDetail.setTooltip(parts);
        if (p.fileBytes() != null) {
            file.setText(Formats.bytes(p.fileBytes()));
            fileDetail.setText(SizeWords.vsFp16(p.fileBytes(), s.baselineFp16Bytes())
                    + (p.dense() ? " (the model's own file)" : ""));
        } else {
            file.setText("-");
            fileDetail.setText("measuring...");
        }
        if (p.proxyMeasured()) {
            quality.setText("top-1 " + Formats.percent(p.top1Agreement()));
            qualityDetail.setText(String.format(Locale.ROOT, "mean KL %.3f nats%s", p.meanKl(),
                    tokens > 0 ? ", " + tokens + (heldOut ? " held-out" : " calibration (no held-out text)") + " tokens"
                            : ""));
        } else {
            quality.setText("-");
            qualityDetail.setText("measuring...");
        }
        if (p.taskScore() != null) {
            task.setText(Formats.percent(p.taskScore().accuracy()));
            taskDetail.setText(taskStatus == null || taskStatus.isEmpty() ? p.taskScore().text() : taskStatus);
        } else {
            task.setText("-");
            taskDetail.setText(taskStatus == null || taskStatus.isEmpty()
                    ? "measured when the knobs rest for 1.5 s, or on Evaluate" : taskStatus);
        }
    }

    void showProblem(String message) {
        clear();
        sizeDetail.setText(message);
    }

    HBox node() {
        return root;
    }

    private static VBox card(String title, Label figure, Label detail) {
        Label t = new Label(title);
        t.getStyleClass().add("muted");
        VBox box = new VBox(2, t, figure, detail);
        box.getStyleClass().addAll("card", "figure-card");
        HBox.setHgrow(box, Priority.ALWAYS);
        box.setPrefWidth(200);
        box.setMinWidth(120);
        box.setAlignment(Pos.TOP_LEFT);
        return box;
    }

    private static Label figure(String id) {
        Label l = new Label();
        l.setId(id);
        l.getStyleClass().add("figure");
        return l;
    }

    private static Label detail(String id) {
        Label l = new Label();
        l.setId(id);
        l.getStyleClass().add("muted");
        l.setWrapText(true);
        l.setMinHeight(Region.USE_PREF_SIZE);
        return l;
    }
}
