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

/** The current recipe's numbers in large print: resident size and ratios, agreement with dense, task score. */
final class Figures {
    private final Label size = figure("size-figure");
    private final Label sizeDetail = detail("size-detail");
    private final Label quality = figure("quality-figure");
    private final Label qualityDetail = detail("quality-detail");
    private final Label task = figure("task-score");
    private final Label taskDetail = detail("task-detail");
    private final HBox root;

    Figures() {
        root = new HBox(12, card("Resident size", size, sizeDetail), card("Agreement with dense", quality, qualityDetail),
                card("Task score", task, taskDetail));
        root.setId("compress-figures");
        clear();
    }

    /** The ratios as the view shows them under the size: "4.20x vs fp16 · 8.40x vs fp32" (above 1 is smaller). */
    public static String ratioText(SizeReport s) {
        return String.format(Locale.ROOT, "%.2fx vs fp16 · %.2fx vs fp32", s.ratioVsFp16(), s.ratioVsFp32());
    }

    void clear() {
        size.setText("-");
        sizeDetail.setText("");
        quality.setText("-");
        qualityDetail.setText("");
        task.setText("-");
        taskDetail.setText("");
    }

    /** While the recipe is being built: the figures of its earlier build if there was one, else a note. */
    void computing(TradeOffPoint known) {
        if (known != null) {
            show(known, 0, true);
            return;
        }
        sizeDetail.setText("compressing...");
        qualityDetail.setText("measuring...");
    }

    void show(TradeOffPoint p, int tokens, boolean heldOut) {
        SizeReport s = p.size();
        size.setText(Formats.bytes(s.residentBytes()));
        sizeDetail.setText(ratioText(s));
        // the ratio is against the dense model's parameters at 2 and 4 bytes: the baselines are in the tooltip
        Tooltip parts = new Tooltip(s.parts().stream()
                .map(x -> x.component() + ": " + Formats.bytes(x.residentBytes()) + " (" + Formats.count(x.parameters()) + " parameters)")
                .collect(Collectors.joining("\n")) + "\n\ndense baseline: " + Formats.bytes(s.baselineFp16Bytes())
                + " in fp16, " + Formats.bytes(s.baselineFp32Bytes()) + " in fp32");
        size.setTooltip(parts);
        sizeDetail.setTooltip(parts);
        quality.setText("top-1 " + Formats.percent(p.top1Agreement()));
        qualityDetail.setText(String.format(Locale.ROOT, "mean KL %.3f nats%s", p.meanKl(),
                tokens > 0 ? ", " + tokens + (heldOut ? " held-out" : " calibration (no held-out text)") + " tokens" : ""));
        if (p.taskScore() != null) {
            task.setText("last word " + Formats.percent(p.taskScore()));
            taskDetail.setText("measured on an earlier visit");
        } else {
            task.setText("-");
            taskDetail.setText("measured when the knobs rest for 1.5 s, or on Evaluate");
        }
    }

    void showProblem(String message) {
        clear();
        sizeDetail.setText(message);
    }

    void taskComputing() {
        taskDetail.setText("evaluating...");
    }

    void showTask(double score, double dense, int items) {
        task.setText("last word " + Formats.percent(score));
        taskDetail.setText("dense " + Formats.percent(dense) + " on the first " + items + " items");
    }

    void showTaskProblem(String message) {
        task.setText("-");
        taskDetail.setText(message);
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
        box.setPrefWidth(240);
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
