package dev.rwkvedge.studio.views.compress.export;

/** What the export can write: our compressed file, or the weights multiplied out for other runtimes. */
public enum ExportFormat {
    COMPRESSED("-compressed.safetensors", "Compressed model (.safetensors, opens in this engine)"),
    DENSE_PTH("-dense.pth", "Dense reconstruction (.pth, for ChatRWKV)"),
    DENSE_SAFETENSORS("-dense.safetensors", "Dense reconstruction (.safetensors)"),
    DENSE_BIN("-dense.bin", "Dense reconstruction (.bin, rwkv.cpp FP32)");

    public final String suffix;
    public final String label;

    ExportFormat(String suffix, String label) {
        this.suffix = suffix;
        this.label = label;
    }

    public boolean dense() {
        return this != COMPRESSED;
    }
}
