package org.weightnorm4j.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.weightnorm4j.nn.Param;

/**
 * Names for saved optimizer state. A model's parameters carry local names ("weight_v") that repeat
 * across layers, so optimizers take the model-wide names (e.g. {@code Sequential.namedParams()},
 * "1.weight_v") and key their buffers by them.
 */
final class NamedParams {
    private NamedParams() {
    }

    /** Keys parameters by their own names; duplicates are an error, since state could not be told apart. */
    static Map<String, Param> byOwnName(List<Param> params) {
        Map<String, Param> out = new LinkedHashMap<>();
        for (Param p : params) {
            if (out.put(p.name(), p) != null) {
                throw new IllegalArgumentException("two parameters are both called '" + p.name()
                        + "'; pass model-wide unique names: ModelTree.namedParams(model)");
            }
        }
        return out;
    }
}
