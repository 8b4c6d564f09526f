package dev.rwkvedge.compress.cache;

import dev.rwkvedge.eval.LanguageModel;
import dev.rwkvedge.runtime.Head;
import dev.rwkvedge.runtime.Parallel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a model's head was given (ln_out of the last block, T rows per call) while one fixed token stream ran through
 * it, call by call. The head reads nothing else, so a recipe that differs from the recorded one only in its head or
 * in a cache's size (values unchanged) gets the same inputs: replaying them through its own head gives the logits of
 * a full forward pass, bit for bit, without running the blocks. Immutable once recorded.
 */
public final class HeadInputs {
    private final List<float[]> calls;
    private final int[] rows;
    private final int dim;

    private HeadInputs(List<float[]> calls, int[] rows, int dim) {
        this.calls = calls;
        this.rows = rows;
        this.dim = dim;
    }

    /** Positions recorded (the stream's length when every call asked for all rows). */
    public int positions() {
        return Arrays.stream(rows).sum();
    }

    public long bytes() {
        return 4L * positions() * dim;
    }

    /**
     * The stream again as a language model whose blocks are these inputs and whose head is {@code head}: it must be
     * fed the recorded stream, in the recorded calls, from one state (as {@link dev.rwkvedge.eval.Agreement} does).
     *
     * @param par the thread team the head splits over (the recording model's own count gives the same sums)
     */
    public LanguageModel replay(Head head, Parallel par) {
        return new Replay(head, par);
    }

    /** Stands in for a head while the stream runs: forwards every call and keeps a copy of its inputs. */
    public static final class Recorder implements Head {
        private final Head head;
        private final int dim;
        private final List<float[]> calls = new ArrayList<>();
        private final List<Integer> rows = new ArrayList<>();

        public Recorder(Head head, int dim) {
            this.head = head;
            this.dim = dim;
        }

        @Override
        public int vocab() {
            return head.vocab();
        }

        @Override
        public synchronized void logits(float[] x, int T, float[] out, Parallel par) {
            calls.add(Arrays.copyOf(x, T * dim));
            rows.add(T);
            head.logits(x, T, out, par);
        }

        @Override
        public long residentBytes() {
            return head.residentBytes();
        }

        @Override
        public long parameters() {
            return head.parameters();
        }

        /** The head that was recorded around, to put back. */
        public Head head() {
            return head;
        }

        public synchronized HeadInputs inputs() {
            return new HeadInputs(List.copyOf(calls), rows.stream().mapToInt(Integer::intValue).toArray(), dim);
        }
    }

    private record Position(int[] call) implements LanguageModel.State {
        @Override
        public LanguageModel.State copy() {
            return new Position(call.clone());
        }
    }

    private final class Replay implements LanguageModel {
        private final Head head;
        private final Parallel par;

        Replay(Head head, Parallel par) {
            this.head = head;
            this.par = par;
        }

        @Override
        public int vocabulary() {
            return head.vocab();
        }

        @Override
        public State newState() {
            return new Position(new int[1]);
        }

        @Override
        public float[] feed(int[] tokens, State state, boolean allRows) {
            int[] at = ((Position) state).call();
            int V = head.vocab();
            float[] out = new float[tokens.length * V];
            // a feed longer than the model's chunk was several head calls
            for (int done = 0; done < tokens.length; ) {
                int i = at[0]++;
                if (!allRows || i >= calls.size() || done + rows[i] > tokens.length) {
                    throw new IllegalStateException("replayed head inputs fed another stream (call " + i + ", "
                            + tokens.length + " tokens)");
                }
                float[] part = new float[rows[i] * V];
                head.logits(calls.get(i), rows[i], part, par);
                System.arraycopy(part, 0, out, done * V, part.length);
                done += rows[i];
            }
            return out;
        }
    }
}
