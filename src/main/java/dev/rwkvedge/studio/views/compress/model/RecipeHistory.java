package dev.rwkvedge.studio.views.compress.model;

import dev.rwkvedge.compress.Recipe;
import java.util.ArrayDeque;
import java.util.Deque;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;

/** Undo and redo over the recipes the knobs went through. FX thread only. */
public final class RecipeHistory {
    private static final int LIMIT = 200;
    private final Deque<Recipe> undo = new ArrayDeque<>(), redo = new ArrayDeque<>();
    private final ReadOnlyBooleanWrapper canUndo = new ReadOnlyBooleanWrapper(this, "canUndo");
    private final ReadOnlyBooleanWrapper canRedo = new ReadOnlyBooleanWrapper(this, "canRedo");

    /** The document moved from {@code was} to something new: {@code was} can be gone back to; redo is forgotten. */
    public void moved(Recipe was) {
        if (was == null) return;
        if (undo.size() == LIMIT) undo.removeLast();
        undo.push(was);
        redo.clear();
        update();
    }

    /** The recipe before {@code now}, or null; {@code now} becomes redoable. */
    public Recipe undo(Recipe now) {
        if (undo.isEmpty()) return null;
        redo.push(now);
        Recipe r = undo.pop();
        update();
        return r;
    }

    public Recipe redo(Recipe now) {
        if (redo.isEmpty()) return null;
        undo.push(now);
        Recipe r = redo.pop();
        update();
        return r;
    }

    public void clear() {
        undo.clear();
        redo.clear();
        update();
    }

    private void update() {
        canUndo.set(!undo.isEmpty());
        canRedo.set(!redo.isEmpty());
    }

    public ReadOnlyBooleanProperty canUndo() {
        return canUndo.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canRedo() {
        return canRedo.getReadOnlyProperty();
    }
}
