package dev.rwkvedge.model;

/** RWKV architecture generations, named as BlinkDL does (rwkv.cpp's "5v1" is v5.1 here: ln_x, no gate, per-head decay). */
public enum Generation {
    V4("4"), V5_1("5.1"), V5_2("5.2"), V6("6"), V7("7");

    public final String label;

    Generation(String label) {
        this.label = label;
    }

    public boolean hasGroupNorm() {
        return this != V4;
    }

    public boolean hasMatrixState() {
        return this != V4;
    }

    public static Generation parse(String s) {
        String v = s.trim().toLowerCase().replaceFirst("^(rwkv-?|v|x0)", "");
        for (Generation g : values()) {
            if (g.label.equals(v) || g.name().equalsIgnoreCase(s.trim())) return g;
        }
        switch (v) {
            case "5", "52", "5v2", "x052" -> { return V5_2; }
            case "51", "5v1", "5.0" -> { return V5_1; }
            case "60", "6v0", "x060" -> { return V6; }
            case "70", "7v0", "x070" -> { return V7; }
            case "40", "4v0" -> { return V4; }
            default -> throw new IllegalArgumentException("unknown RWKV generation '" + s + "' (known: 4, 5.1, 5.2, 6, 7)");
        }
    }

    @Override
    public String toString() {
        return "v" + label;
    }
}
