package dev.rwkvedge.eval;

/**
 * What the evaluators need of a model: a recurrent state and the next-token logits after each fed token. RWKV is
 * adapted to it by {@link RwkvLanguageModel}; tests use small models whose distributions are known in closed form,
 * so every metric can be checked against a number computed by hand.
 */
public interface LanguageModel {

    /** The state after some prefix; {@link #copy()} forks it so several continuations can share one prefix. */
    interface State {
        State copy();
    }

    int vocabulary();

    State newState();

    /**
     * Feeds the tokens in order, advancing the state. With {@code allRows} returns tokens.length x vocabulary logits
     * (row t = the distribution of the token after tokens[t]), otherwise only the row after the last token.
     */
    float[] feed(int[] tokens, State state, boolean allRows);
}
