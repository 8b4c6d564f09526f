package dev.rwkvedge.compress;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;

/**
 * How ranks are chosen, written in a recipe as one of {@code {"ratio": 0.125}} (rank = ratio x min(out, in), the
 * paper's D/8), {@code {"energy": 0.9}} (the smallest rank keeping that share of the squared singular values),
 * {@code {"budget": 0.4}} (keep that share of the matrices' parameters, spread by truncation loss) or
 * {@code {"fixed": 32}}.
 */
@JsonSerialize(using = RankRule.Writer.class)
@JsonDeserialize(using = RankRule.Reader.class)
public sealed interface RankRule {
    record Ratio(double value) implements RankRule {}

    record Energy(double value) implements RankRule {}

    record Budget(double value) implements RankRule {}

    record Fixed(int rank) implements RankRule {}

    static RankRule ratio(double r) {
        return new Ratio(r);
    }

    static RankRule energy(double e) {
        return new Energy(e);
    }

    static RankRule budget(double b) {
        return new Budget(b);
    }

    static RankRule fixed(int rank) {
        return new Fixed(rank);
    }

    /** The JSON key: ratio, energy, budget or fixed. */
    default String kind() {
        return switch (this) {
            case Ratio r -> "ratio";
            case Energy e -> "energy";
            case Budget b -> "budget";
            case Fixed f -> "fixed";
        };
    }

    /** The rule's number (the share, or the fixed rank). */
    default double number() {
        return switch (this) {
            case Ratio r -> r.value();
            case Energy e -> e.value();
            case Budget b -> b.value();
            case Fixed f -> f.rank();
        };
    }

    /** Only the budget rule needs every matrix's spectrum before any rank is known. */
    default boolean global() {
        return this instanceof Budget;
    }

    /** The ratio, or null for another rule (for views that show one knob per rule). */
    default Double ratio() {
        return this instanceof Ratio r ? r.value() : null;
    }

    default Double energy() {
        return this instanceof Energy e ? e.value() : null;
    }

    default Double budget() {
        return this instanceof Budget b ? b.value() : null;
    }

    default Integer fixed() {
        return this instanceof Fixed f ? f.rank() : null;
    }

    final class Writer extends JsonSerializer<RankRule> {
        @Override
        public void serialize(RankRule r, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeStartObject();
            if (r instanceof Fixed f) g.writeNumberField("fixed", f.rank());
            else g.writeNumberField(r.kind(), r.number());
            g.writeEndObject();
        }
    }

    final class Reader extends JsonDeserializer<RankRule> {
        @Override
        public RankRule deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode n = p.readValueAsTree();
            if (n == null || !n.isObject() || n.size() != 1) {
                return ctxt.reportInputMismatch(RankRule.class,
                        "lowRank.rule needs exactly one of ratio, energy, budget, fixed, not " + abbreviated(n));
            }
            Iterator<String> names = n.fieldNames();
            String key = names.next();
            JsonNode v = n.get(key);
            if (!List.of("ratio", "energy", "budget", "fixed").contains(key)) {
                return ctxt.reportInputMismatch(RankRule.class,
                        "lowRank.rule." + key + " is not a rule (ratio, energy, budget or fixed)");
            }
            if (!v.isNumber() || key.equals("fixed") && !(v.isIntegralNumber() && v.canConvertToInt())) {
                return ctxt.reportInputMismatch(RankRule.class, "lowRank.rule." + key + " must be a number, not "
                        + abbreviated(v));
            }
            return switch (key) {
                case "ratio" -> new Ratio(v.asDouble());
                case "energy" -> new Energy(v.asDouble());
                case "budget" -> new Budget(v.asDouble());
                default -> new Fixed(v.asInt());
            };
        }

        private static String abbreviated(JsonNode n) {
            String s = String.valueOf(n);
            return s.length() > 60 ? s.substring(0, 57) + "..." : s;
        }
    }
}
