package dev.rwkvedge.eval;

import dev.rwkvedge.runtime.RwkvModel;
import dev.rwkvedge.runtime.RwkvState;

/** An RWKV model (dense or compressed: whatever parts it was built from) as an evaluator sees it. */
public record RwkvLanguageModel(RwkvModel model) implements LanguageModel {

    private record Recurrent(RwkvState state) implements State {
        @Override
        public State copy() {
            return new Recurrent(state.copy());
        }
    }

    @Override
    public int vocabulary() {
        return model.config().vocab();
    }

    @Override
    public State newState() {
        return new Recurrent(model.newState());
    }

    @Override
    public float[] feed(int[] tokens, State state, boolean allRows) {
        return model.forwardSequence(tokens, ((Recurrent) state).state(), allRows);
    }
}
