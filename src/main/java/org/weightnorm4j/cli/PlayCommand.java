package org.weightnorm4j.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.weightnorm4j.rl.ActionListPolicy;
import org.weightnorm4j.rl.AnimatedGif;
import org.weightnorm4j.rl.DqnCheckpoint;
import org.weightnorm4j.rl.Environment;
import org.weightnorm4j.rl.EnvironmentSpeed;
import org.weightnorm4j.rl.GameView;
import org.weightnorm4j.rl.GreedyQPolicy;
import org.weightnorm4j.rl.MinAtar;
import org.weightnorm4j.rl.Policy;
import org.weightnorm4j.rl.RandomPolicy;
import org.weightnorm4j.rl.SplitMix64;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weightnorm play}: watch a MinAtar game on the terminal, print its frames as JSON lines,
 * summarise episodes of the random policy, write a PNG strip or GIF, or time the games' stepping.
 */
@Command(name = "play",
        mixinStandardHelpOptions = true,
        description = {"Play a MinAtar game (asterix, breakout, freeway, seaquest, space_invaders): watch it on the "
                + "terminal, print frames as JSON lines, summarise episodes, or time stepping.",
                "Actions are MinAtar's: 0 n (no-op), 1 l, 2 u, 3 r, 4 d, 5 f (fire)."})
public final class PlayCommand implements Runnable {
    /** Mixed into the game seed for the random policy, so the policy's stream is not the game's. */
    private static final long POLICY_SEED_SALT = 0x5DEECE66DL;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--game", paramLabel = "NAME", description = "The game: " + "asterix, breakout, freeway, "
            + "seaquest, space_invaders (space-invaders also accepted).")
    String game;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of the game's random events (sticky actions included) and of the random policy. "
                    + "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--sticky", paramLabel = "P", defaultValue = "0.1",
            description = "Probability that a step repeats the previous action (MinAtar's default ${DEFAULT-VALUE}).")
    double sticky;

    @Option(names = "--ramping", paramLabel = "true|false", defaultValue = "true", arity = "1",
            description = "Difficulty ramping (Asterix, Seaquest, Space Invaders). Default: ${DEFAULT-VALUE}.")
    boolean ramping;

    @Option(names = "--actions", paramLabel = "LIST|FILE",
            description = "Play these actions instead of the random policy: indices such as 0,3,3,5 or a file "
                    + "holding such a list (commas or white space; # comments). The run stops when they run out.")
    String actions;

    @Option(names = "--checkpoint", paramLabel = "DIR",
            description = "Play a trained agent: the run directory of 'weightnorm dqn' (its --out). The game is the "
                    + "run's; the agent is epsilon-greedy over its Q-network (see --epsilon).")
    Path checkpoint;

    @Option(names = "--epsilon", paramLabel = "E", defaultValue = "0.01",
            description = "With --checkpoint: probability of a uniform random action instead of the agent's greedy one "
                    + "(default ${DEFAULT-VALUE}; 0 plays fully greedily, which can loop forever with --sticky 0).")
    double epsilon;

    @Option(names = "--episodes", paramLabel = "N", defaultValue = "1", description = "Episodes to play. Default: 1.")
    int episodes;

    @Option(names = "--max-frames", paramLabel = "N", defaultValue = "100000",
            description = "Cut an episode after this many frames. Default: ${DEFAULT-VALUE}.")
    int maxFrames;

    @Option(names = "--jsonl", description = "One JSON object per frame: episode, t, action, taken, reward, terminal, "
            + "obs[channel][row][column]; the first of each episode is the state after reset (t 0, action null).")
    boolean jsonl;

    @Option(names = "--json", description = "Only one JSON object at the end: mean and standard deviation of the "
            + "return and of the episode length over the episodes.")
    boolean json;

    @Option(names = "--delay", paramLabel = "MS", description = "Pause between frames drawn on the terminal. Default: "
            + "100 on a console, else 0.")
    Integer delayMs;

    @Option(names = "--color", paramLabel = "auto|always|never", defaultValue = "auto",
            description = "ANSI colours and screen clearing: auto (on a console with a capable TERM), always, never.")
    String color;

    @Option(names = "--png", paramLabel = "FILE", description = "Also write the frames as a PNG strip.")
    Path png;

    @Option(names = "--gif", paramLabel = "FILE", description = "Also write the frames as an animated GIF.")
    Path gif;

    @Option(names = "--image-frames", paramLabel = "N", defaultValue = "120",
            description = "Most frames kept for --png/--gif (the first ones). Default: ${DEFAULT-VALUE}.")
    int imageFrames;

    @Option(names = "--scale", paramLabel = "PX", defaultValue = "8", description = "Pixels per cell in images. "
            + "Default: ${DEFAULT-VALUE}.")
    int scale;

    @Option(names = "--bench", description = "Time stepping of every game (or --game) with random actions; one JSON "
            + "object per game.")
    boolean bench;

    @Option(names = "--bench-seconds", paramLabel = "S", defaultValue = "2",
            description = "Timed seconds per game and mode for --bench. Default: ${DEFAULT-VALUE}.")
    double benchSeconds;

    @Override
    public void run() {
        validate();
        if (bench) {
            runBench();
            return;
        }
        DqnCheckpoint.Trained agent = trainedAgent();
        Environment env = MinAtar.create(game, seed, sticky, ramping);
        Policy policy = agent != null ? new GreedyQPolicy(agent.online(), env.numChannels(), epsilon, policySeed()) : policy();
        PrintWriter out = spec.commandLine().getOut();
        boolean ansi = useAnsi();
        long delay = delayMs != null ? delayMs : (System.console() != null && !json && !jsonl ? 100 : 0);
        boolean watch = !jsonl && !json;
        GameView view = new GameView(env);
        List<float[]> images = new ArrayList<>();
        float[] obs = new float[env.numChannels() * Environment.CELLS];
        List<Integer> returns = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        boolean listEnded = false;
        for (int e = 0; e < episodes && !listEnded; e++) {
            if (e > 0) {
                env.reset();
            }
            policy.startEpisode();
            env.observe(obs);
            keep(images, obs);
            int ret = 0;
            if (jsonl) {
                out.println(frameJson(e, 0, null, -1, 0, env.terminal(), obs, env.numChannels()));
            } else if (watch) {
                draw(out, view, env, e, null, 0, ret, obs, ansi, delay);
            }
            while (!env.terminal() && env.frames() < maxFrames) {
                int a = policy.act(obs);
                if (a == Policy.END) {
                    listEnded = true;
                    break;
                }
                int reward = env.step(a);
                ret += reward;
                env.observe(obs);
                keep(images, obs);
                if (jsonl) {
                    out.println(frameJson(e, env.frames(), a, env.lastAction(), reward, env.terminal(), obs,
                            env.numChannels()));
                } else if (watch) {
                    draw(out, view, env, e, a, reward, ret, obs, ansi, delay);
                }
            }
            if (listEnded && env.frames() == 0) {
                break;
            }
            returns.add(ret);
            lengths.add(env.frames());
            if (watch) {
                out.printf(Locale.ROOT, "episode %d: return %d, %d frames%s%n", e + 1, ret, env.frames(),
                        env.terminal() ? "" : listEnded ? " (actions ran out)" : " (cut at --max-frames)");
            }
        }
        if (json) {
            out.println(summaryJson(returns, lengths));
        }
        out.flush();
        writeImages(view, images);
    }

    private void validate() {
        if (game == null && !bench && checkpoint == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--game is required; the games are "
                    + MinAtar.GAMES);
        }
        if (game != null && !MinAtar.GAMES.contains(MinAtar.canonicalName(game))) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "unknown game '" + game + "'; the games are " + MinAtar.GAMES);
        }
        if (!(sticky >= 0 && sticky <= 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--sticky must be in [0, 1]: " + sticky);
        }
        if (episodes < 1 || maxFrames < 1 || scale < 1 || imageFrames < 1 || (delayMs != null && delayMs < 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--episodes, --max-frames, --scale and --image-frames must be positive and --delay not negative");
        }
        if (jsonl && json) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--jsonl and --json exclude each other");
        }
        if (!List.of("auto", "always", "never").contains(color)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--color must be auto, always or never");
        }
        if (checkpoint != null && (actions != null || bench)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--checkpoint plays the trained agent: it "
                    + "excludes --actions and --bench");
        }
        if (!(epsilon >= 0 && epsilon <= 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--epsilon must be in [0, 1]: " + epsilon);
        }
    }

    /** The agent of --checkpoint (null without it); sets --game to the run's game, which --game may only repeat. */
    private DqnCheckpoint.Trained trainedAgent() {
        if (checkpoint == null) {
            return null;
        }
        DqnCheckpoint.Trained t;
        try {
            t = DqnCheckpoint.readTrained(checkpoint, spec.commandLine().getErr()::println);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--checkpoint: " + e.getMessage());
        }
        if (game != null && !MinAtar.canonicalName(game).equals(t.game())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--checkpoint " + checkpoint + " was trained on "
                    + t.game() + ", not " + MinAtar.canonicalName(game) + "; leave out --game or give " + t.game());
        }
        game = t.game();
        spec.commandLine().getErr().printf(Locale.ROOT, "playing the %s agent of %s (frame %d), epsilon %s%n",
                t.param().cliName(), checkpoint, t.frame(), epsilon);
        return t;
    }

    private long policySeed() {
        return new SplitMix64(seed ^ POLICY_SEED_SALT).nextLong();
    }

    private Policy policy() {
        if (actions == null) {
            return new RandomPolicy(policySeed());
        }
        String text = actions;
        Path file = Path.of(actions);
        if (!actions.matches("[0-9,\\s]*") || Files.isRegularFile(file)) {
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--actions: '" + actions + "' is neither an action list nor a readable file: " + e);
            }
        }
        try {
            return ActionListPolicy.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--actions: " + e.getMessage());
        }
    }

    private boolean useAnsi() {
        return switch (color) {
            case "always" -> true;
            case "never" -> false;
            default -> System.console() != null && System.getenv("TERM") != null
                    && !"dumb".equals(System.getenv("TERM")) && System.getenv("NO_COLOR") == null;
        };
    }

    private void keep(List<float[]> images, float[] obs) {
        if ((png != null || gif != null) && images.size() < imageFrames) {
            images.add(obs.clone());
        }
    }

    private void draw(PrintWriter out, GameView view, Environment env, int episode, Integer action, int reward,
            int ret, float[] obs, boolean ansi, long delay) {
        StringBuilder sb = new StringBuilder();
        if (ansi) {
            sb.append("\033[H\033[2J");
        }
        sb.append(String.format(Locale.ROOT, "%s  episode %d  t %d  action %s  reward %d  return %d%s%n",
                env.name(), episode + 1, env.frames(),
                action == null ? "-" : Environment.ACTION_NAMES.get(action), reward, ret,
                env.terminal() ? "  TERMINAL" : ""));
        sb.append(view.text(obs, ansi));
        sb.append(view.legend()).append('\n');
        out.print(sb);
        out.flush();
        if (delay > 0) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** One frame as a JSON object; obs is written as nested arrays of 0 and 1. */
    static String frameJson(int episode, int t, Integer action, int taken, int reward, boolean terminal, float[] obs,
            int channels) {
        StringBuilder sb = new StringBuilder(64 + channels * 230);
        sb.append("{\"episode\":").append(episode).append(",\"t\":").append(t)
                .append(",\"action\":").append(action == null ? "null" : action.toString())
                .append(",\"taken\":").append(action == null ? "null" : Integer.toString(taken))
                .append(",\"reward\":").append(reward)
                .append(",\"terminal\":").append(terminal)
                .append(",\"obs\":[");
        for (int c = 0; c < channels; c++) {
            sb.append(c == 0 ? "[" : ",[");
            for (int row = 0; row < Environment.SIZE; row++) {
                sb.append(row == 0 ? "[" : ",[");
                for (int column = 0; column < Environment.SIZE; column++) {
                    if (column > 0) {
                        sb.append(',');
                    }
                    sb.append(obs[c * Environment.CELLS + row * Environment.SIZE + column] != 0f ? '1' : '0');
                }
                sb.append(']');
            }
            sb.append(']');
        }
        return sb.append("]}").toString();
    }

    private String summaryJson(List<Integer> returns, List<Integer> lengths) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("game", MinAtar.canonicalName(game));
        m.put("policy", checkpoint != null ? "agent" : actions == null ? "random" : "actions");
        if (checkpoint != null) {
            m.put("checkpoint", checkpoint.toString());
            m.put("epsilon", epsilon);
        }
        m.put("seed", seed);
        m.put("sticky", sticky);
        m.put("ramping", ramping);
        m.put("episodes", returns.size());
        m.put("return_mean", mean(returns));
        m.put("return_std", std(returns));
        m.put("length_mean", mean(lengths));
        m.put("length_std", std(lengths));
        m.put("returns", returns);
        m.put("lengths", lengths);
        Gson gson = new GsonBuilder().serializeSpecialFloatingPointValues().create();
        return gson.toJson(m);
    }

    static double mean(List<Integer> xs) {
        double s = 0;
        for (int x : xs) {
            s += x;
        }
        return xs.isEmpty() ? Double.NaN : s / xs.size();
    }

    /** Population standard deviation (numpy's default, ddof 0). */
    static double std(List<Integer> xs) {
        double m = mean(xs);
        double s = 0;
        for (int x : xs) {
            s += (x - m) * (x - m);
        }
        return xs.isEmpty() ? Double.NaN : Math.sqrt(s / xs.size());
    }

    private void writeImages(GameView view, List<float[]> images) {
        try {
            if (png != null) {
                BufferedImage strip = view.strip(images, scale, 20);
                if (!ImageIO.write(strip, "png", png.toFile())) {
                    throw new IOException("no PNG writer");
                }
                spec.commandLine().getErr().println("wrote " + images.size() + " frames to " + png);
            }
            if (gif != null) {
                List<BufferedImage> frames = new ArrayList<>();
                for (float[] f : images) {
                    frames.add(view.frame(f, scale));
                }
                AnimatedGif.write(frames, delayMs != null && delayMs > 0 ? delayMs : 100, gif);
                spec.commandLine().getErr().println("wrote " + images.size() + " frames to " + gif);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write image: " + e.getMessage(), e);
        }
    }

    /** Frames per second of each game on one thread ({@link EnvironmentSpeed}, as {@code bench env}). */
    private void runBench() {
        PrintWriter out = spec.commandLine().getOut();
        List<String> games = game == null ? MinAtar.GAMES : List.of(MinAtar.canonicalName(game));
        Gson gson = new GsonBuilder().serializeNulls().create();
        for (String g : games) {
            out.println(gson.toJson(EnvironmentSpeed.measure(g, seed, sticky, ramping, benchSeconds)));
            out.flush();
        }
    }
}
