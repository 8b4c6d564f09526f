package dev.rwkvedge.studio.ui;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import javafx.scene.control.Alert;
import javafx.scene.control.TextArea;
import javafx.stage.Window;

/** Error dialogs that say what went wrong in the engine's own words (its messages name the file and the problem). */
public final class ErrorDialogs {
    public static final String DIALOG_ID = "error-dialog";

    private ErrorDialogs() {}

    /** Non-modal, so a failing background job never blocks the FX thread of a caller waiting on it. */
    public static Alert show(Window owner, String action, Throwable e) {
        Alert a = new Alert(Alert.AlertType.ERROR);
        if (owner != null) a.initOwner(owner);
        a.setTitle("RWKV Edge Studio");
        a.setHeaderText(action + " failed");
        a.setContentText(describe(e));
        a.getDialogPane().setId(DIALOG_ID);
        a.getDialogPane().setMinWidth(520);
        // I/O problems are the user's file, not a bug: the message is all they need; anything else gets a trace
        if (!(e instanceof IOException)) {
            StringWriter w = new StringWriter();
            e.printStackTrace(new PrintWriter(w));
            TextArea trace = new TextArea(w.toString());
            trace.setEditable(false);
            trace.setPrefRowCount(12);
            a.getDialogPane().setExpandableContent(trace);
        }
        a.show();
        return a;
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) return e.getClass().getSimpleName();
        return e instanceof IOException || e instanceof IllegalArgumentException ? m
                : m + " (" + e.getClass().getSimpleName() + ")";
    }
}
