package dev.rwkvedge.compress.budget;

import dev.rwkvedge.compress.Recipe;
import java.util.List;

/**
 * What the budget solver chose and why.
 *
 * @param recipe         the chosen recipe (no techniques when the dense model already fits)
 * @param budgetBytes    the resident budget asked for
 * @param predictedBytes resident bytes predicted from the per-part measurements
 * @param measuredBytes  resident bytes of the chosen recipe applied to a fresh copy of the model
 * @param predictedKl    sum of the chosen parts' KL increases, each measured alone
 * @param measuredKl     mean KL(dense || chosen) over the probe tokens, measured on the applied recipe
 * @param parts          per part: the chosen setting, its bytes and its KL contribution
 * @param explanation    the same as readable lines, plus what was tried and rejected
 */
public record SolvedRecipe(Recipe recipe, long budgetBytes, long predictedBytes, long measuredBytes, double predictedKl,
                           double measuredKl, List<Choice> parts, List<String> explanation) {

    /** One part's chosen setting: resident bytes it saves against dense (same precision), KL it adds alone. */
    public record Choice(String part, String setting, long bytesSaved, double klIncrease) {}

    public boolean fits() {
        return measuredBytes <= budgetBytes;
    }
}
