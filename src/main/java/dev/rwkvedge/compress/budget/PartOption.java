package dev.rwkvedge.compress.budget;

/**
 * One setting of one part of the model, as the recipe section(s) that ask for it, so that the solver never depends on
 * the shape of the recipe's Java types (the JSON keys are the contract).
 *
 * @param part  what the setting changes ("lowRank", "sparseFfn", "head", "embedding", "precision")
 * @param label short human name ("whitened budget 40 %")
 * @param json  the recipe sections as a JSON object body without braces ({@code "int8": {}}), empty for "off"
 */
public record PartOption(String part, String label, String json) {
    public boolean off() {
        return json.isBlank();
    }

    public static PartOption off(String part) {
        return new PartOption(part, "off", "");
    }
}
