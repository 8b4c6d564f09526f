package dev.rwkvedge.runtime;

/**
 * The recurrent state of a whole model. Per layer: the previous token's ln1 and ln2 outputs (token shift), and
 * either v4's (aa, bb, pp) or the WKV matrices (H x S x S) laid out as rwkv.cpp lays them out
 * (v5/v6: [head][key][value], v7: [head][value][key]).
 */
public final class RwkvState {
    final ModelShape cfg;
    final float[][] attShift, ffnShift, wkv, aa, bb, pp;

    public RwkvState(ModelShape cfg) {
        this.cfg = cfg;
        int L = cfg.layers(), C = cfg.embd();
        attShift = new float[L][C];
        ffnShift = new float[L][C];
        if (!cfg.matrixState()) {
            aa = new float[L][C];
            bb = new float[L][C];
            pp = new float[L][C];
            for (float[] p : pp) java.util.Arrays.fill(p, -1e30f);
            wkv = null;
        } else {
            wkv = new float[L][cfg.heads() * cfg.headSize() * cfg.headSize()];
            aa = bb = pp = null;
        }
    }

    /** The previous token's ln2 output in {@code layer}; channel mixes read and update it in place. */
    public float[] ffnShift(int layer) {
        return ffnShift[layer];
    }

    public RwkvState copy() {
        RwkvState s = new RwkvState(cfg);
        for (int l = 0; l < cfg.layers(); l++) {
            System.arraycopy(attShift[l], 0, s.attShift[l], 0, attShift[l].length);
            System.arraycopy(ffnShift[l], 0, s.ffnShift[l], 0, ffnShift[l].length);
            if (wkv != null) System.arraycopy(wkv[l], 0, s.wkv[l], 0, wkv[l].length);
            else {
                System.arraycopy(aa[l], 0, s.aa[l], 0, aa[l].length);
                System.arraycopy(bb[l], 0, s.bb[l], 0, bb[l].length);
                System.arraycopy(pp[l], 0, s.pp[l], 0, pp[l].length);
            }
        }
        return s;
    }

    /** rwkv.cpp's flat state vector: per layer ffn_xx, att_xx, then aa/bb/pp (v4) or the WKV matrices. */
    public float[] toRwkvCppLayout() {
        int C = cfg.embd();
        int per = wkv != null ? 2 * C + wkv[0].length : 5 * C;
        float[] out = new float[per * cfg.layers()];
        for (int l = 0; l < cfg.layers(); l++) {
            int o = l * per;
            System.arraycopy(ffnShift[l], 0, out, o, C);
            System.arraycopy(attShift[l], 0, out, o + C, C);
            if (wkv != null) System.arraycopy(wkv[l], 0, out, o + 2 * C, wkv[l].length);
            else {
                System.arraycopy(aa[l], 0, out, o + 2 * C, C);
                System.arraycopy(bb[l], 0, out, o + 3 * C, C);
                System.arraycopy(pp[l], 0, out, o + 4 * C, C);
            }
        }
        return out;
    }

    public long bytes() {
        int C = cfg.embd();
        long per = wkv != null ? 2L * C + wkv[0].length : 5L * C;
        return 4L * per * cfg.layers();
    }
}
