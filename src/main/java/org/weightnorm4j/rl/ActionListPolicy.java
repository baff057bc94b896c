package org.weightnorm4j.rl;

import java.util.ArrayList;
import java.util.List;

/**
 * Plays a recorded list of actions in order, ignoring observations, then returns {@link Policy#END}.
 * The list runs on across episodes.
 */
public final class ActionListPolicy implements Policy {
    private final int[] actions;
    private int next;

    public ActionListPolicy(int[] actions) {
        for (int i = 0; i < actions.length; i++) {
            if (actions[i] < 0 || actions[i] >= Environment.NUM_ACTIONS) {
                throw new IllegalArgumentException("action " + (i + 1) + " is " + actions[i]
                        + "; actions are 0-5 in MinAtar's order n, l, u, r, d, f");
            }
        }
        this.actions = actions.clone();
    }

    /**
     * Parses a list such as {@code 0,3,3,5}: integers separated by commas and/or white space, and
     * {@code #} comments to the end of a line (so a file can hold one action per line).
     */
    public static ActionListPolicy parse(String text) {
        List<Integer> list = new ArrayList<>();
        for (String line : text.split("\\R")) {
            int hash = line.indexOf('#');
            String body = hash >= 0 ? line.substring(0, hash) : line;
            for (String token : body.split("[,\\s]+")) {
                if (token.isEmpty()) {
                    continue;
                }
                try {
                    list.add(Integer.parseInt(token));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not an action index: '" + token
                            + "' (actions are 0-5 in MinAtar's order n, l, u, r, d, f)", e);
                }
            }
        }
        return new ActionListPolicy(list.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Actions not yet played. */
    public int remaining() {
        return actions.length - next;
    }

    @Override
    public int act(float[] observation) {
        return next < actions.length ? actions[next++] : END;
    }
}
