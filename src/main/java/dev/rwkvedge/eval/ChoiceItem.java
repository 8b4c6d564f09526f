package dev.rwkvedge.eval;

import java.util.List;

/** A multiple-choice question: each choice is scored as a continuation of the context; {@code gold} is the answer's index. */
public record ChoiceItem(String context, List<String> choices, int gold) {

    public ChoiceItem {
        choices = List.copyOf(choices);
        if (context.isBlank()) throw new IllegalArgumentException("the context is empty");
        if (choices.size() < 2) throw new IllegalArgumentException("expected at least two choices, got " + choices.size());
        if (choices.stream().anyMatch(String::isEmpty)) throw new IllegalArgumentException("a choice is empty");
        if (gold < 0 || gold >= choices.size()) {
            throw new IllegalArgumentException("gold " + gold + " is not an index into " + choices.size() + " choices");
        }
    }
}
