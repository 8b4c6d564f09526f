package dev.rwkvedge.compress.sparse;

import dev.rwkvedge.runtime.Kernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * K and V stored by neuron ("row-column bundling", as in "LLM in a flash"): neuron j is one contiguous block
 * [k_j (C floats), v_j (C floats)] in native memory, so computing one active neuron is one sequential read of 8C
 * bytes, and an on-demand loader would fetch exactly the active blocks.
 */
final class NeuronBundle {
    private final MemorySegment data;
    private final int width, neurons;

    private NeuronBundle(MemorySegment data, int width, int neurons) {
        this.data = data;
        this.width = width;
        this.neurons = neurons;
    }

    /** From K (neurons x width) and V (width x neurons), both row-major. */
    static NeuronBundle of(float[] k, float[] v, int width, int neurons) {
        if (k.length != width * neurons || v.length != width * neurons) {
            throw new IllegalArgumentException("K and V do not match " + neurons + " neurons of width " + width);
        }
        MemorySegment seg = Arena.ofAuto().allocate(8L * width * neurons, 64);
        float[] block = new float[2 * width];
        for (int j = 0; j < neurons; j++) {
            System.arraycopy(k, j * width, block, 0, width);
            for (int c = 0; c < width; c++) block[width + c] = v[c * neurons + j];
            MemorySegment.copy(block, 0, seg, ValueLayout.JAVA_FLOAT_UNALIGNED, j * 8L * width, block.length);
        }
        return new NeuronBundle(seg, width, neurons);
    }

    int width() {
        return width;
    }

    int neurons() {
        return neurons;
    }

    /** relu(k_j . x)^2 for x at x[xOff ..]: the same dot, in the same order, as the dense key projection. */
    float activation(int j, float[] x, int xOff) {
        float a = Math.max(Kernels.dot(data, j * 8L * width, x, xOff, width), 0f);
        return a * a;
    }

    /** out[outOff .. outOff+len) += h * v_j[from .. from+len). */
    void addValue(int j, float h, int from, float[] out, int outOff, int len) {
        Kernels.axpy(h, data, j * 8L * width + 4L * (width + from), out, outOff, len);
    }

    long bytes() {
        return data.byteSize();
    }

    /** Bytes per neuron block. */
    long neuronBytes() {
        return 8L * width;
    }
}
