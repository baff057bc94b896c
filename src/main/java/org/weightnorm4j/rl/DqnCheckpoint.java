package org.weightnorm4j.rl;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;
import org.weightnorm4j.io.AtomicFiles;
import org.weightnorm4j.nn.Layer;
import org.weightnorm4j.nn.ModelTree;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.optim.OptimizerState;
import org.weightnorm4j.tensor.Tensor;

/**
 * A DQN run's checkpoint: one file, {@code dqn-checkpoint.bin}, replaced atomically
 * ({@link AtomicFiles}), so a run killed at any moment leaves either the previous checkpoint or the
 * new one, never half of one. It holds everything the next frame depends on: the settings (checked
 * on restore), the loop's counters and finished returns, the environment's state (game, generator,
 * last action), both networks, the optimizer's state, the replay memory and both random streams of
 * the agent. A restored run therefore continues bit-identically (a test kills one and compares).
 *
 * <p>Integrity (issue 16): the file ends with the CRC32C of every byte before it, checked before
 * anything is restored, so a damaged checkpoint is an error naming the file, never a silently
 * different run. A file of the first format ({@code DQN1}, no checksum) is still read, with a notice.
 *
 * <p>One file rather than a directory of several: the replay memory dominates it (about 26 MB for
 * 100,000 Breakout transitions) and everything else is small, so a single atomic rename is the
 * simplest unit.
 */
public final class DqnCheckpoint {
    public static final String FILE = "dqn-checkpoint.bin";
    /** The first format, without a checksum: still read, with a notice. */
    private static final int MAGIC_UNCHECKED = 0x44514E31; // "DQN1"
    /** The same content followed by the CRC32C of every byte before it (8 bytes, big-endian). */
    private static final int MAGIC = 0x44514E32; // "DQN2"

    private DqnCheckpoint() {
    }

    /** Writes {@code run}'s checkpoint into {@code dir} (which must exist), replacing the previous one. */
    public static void save(Path dir, DqnRun run) throws IOException {
        AtomicFiles.write(dir.resolve(FILE), raw -> {
            BufferedOutputStream buffered = new BufferedOutputStream(raw, 1 << 16);
            CheckedOutputStream checked = new CheckedOutputStream(buffered, new CRC32C());
            DataOutputStream out = new DataOutputStream(checked);
            write(out, run);
            out.flush();
            new DataOutputStream(buffered).writeLong(checked.getChecksum().getValue());   // covers every byte above
            buffered.flush();
        });
    }

    /** Whether {@code dir} holds a checkpoint. */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE));
    }

    /**
     * Restores {@code run} (built with the same settings, game and seed) from {@code dir}'s
     * checkpoint.
     *
     * @throws IOException if the file is unreadable or was written for other settings
     */
    public static void restore(Path dir, DqnRun run) throws IOException {
        restore(dir, run, notice -> { });
    }

    /**
     * As {@link #restore(Path, DqnRun)}; a checkpoint of the first format (no checksum) is read
     * unverified, with a one-line notice to {@code notices}.
     *
     * @throws IOException also when the file's CRC32C does not match its contents (a damaged file)
     */
    public static void restore(Path dir, DqnRun run, Consumer<String> notices) throws IOException {
        Path file = dir.resolve(FILE);
        byte[] bytes = verifiedBytes(file, notices);
        try {
            read(new DataInputStream(new ByteArrayInputStream(bytes)), run);
        } catch (java.io.EOFException e) {
            throw damaged(file, "it ends before its last field");
        }
    }

    /**
     * A trained agent, read from a run directory's checkpoint for playing it back: the game, the
     * parameterization, the frame the checkpoint was written at and the online network (the one
     * that chooses actions). Nothing else of the run is restored.
     */
    public record Trained(String game, Parameterization param, long frame, Sequential online) {
    }

    /**
     * Reads the online network of {@code dir}'s checkpoint (checksum verified first).
     *
     * @throws IOException if the file is missing, damaged or not a DQN checkpoint
     */
    public static Trained readTrained(Path dir, Consumer<String> notices) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException("no " + FILE + " in " + dir + ": give the directory of a weightnorm dqn run (its --out)");
        }
        byte[] bytes = verifiedBytes(file, notices);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        try {
            in.readInt();
            String settings = in.readUTF();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("param=([a-z-]+),").matcher(settings);
            if (!m.find()) {
                throw new IOException(file + ": cannot find the parameterization in its settings (" + settings + ")");
            }
            Parameterization param = Parameterization.parse(m.group(1));
            long frame = in.readLong();
            in.skipNBytes(4L * in.readInt());            // finished returns
            in.skipNBytes(4 + 4 + 8 + 8 + 4);             // episode return and length, the window's sums
            EnvironmentState env = EnvironmentState.read(in);
            in.skipNBytes(8 * 3);                         // updates, the two random streams
            Sequential online = DqnNetwork.build(param, MinAtar.create(env.game(), 0).numChannels(), 0);
            readTensorsInto(in, live(online), "online network");
            return new Trained(env.game(), param, frame, online);
        } catch (java.io.EOFException e) {
            throw damaged(file, "it ends before its last field");
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** The file's bytes without the trailing checksum, after checking it (a DQN1 file: with a notice). */
    private static byte[] verifiedBytes(Path file, Consumer<String> notices) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int magic = bytes.length >= 4 ? ByteBuffer.wrap(bytes).getInt(0) : 0;
        int length = bytes.length;
        if (magic == MAGIC) {
            if (bytes.length < 12) {
                throw damaged(file, "it is only " + bytes.length + " bytes long");
            }
            length = bytes.length - 8;
            CRC32C crc = new CRC32C();
            crc.update(bytes, 0, length);
            long stored = ByteBuffer.wrap(bytes).getLong(length);
            if (crc.getValue() != stored) {
                throw damaged(file, String.format(Locale.ROOT, "its CRC32C is %08x but its contents give %08x", stored, crc.getValue()));
            }
        } else if (magic == MAGIC_UNCHECKED) {
            notices.accept("note: " + file + " was written without a checksum (an earlier build); loaded unverified");
        } else {
            throw new IOException(file + " is not a DQN checkpoint (it does not start with DQN1 or DQN2)");
        }
        return length == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, length);
    }

    private static IOException damaged(Path file, String why) {
        return new IOException("DQN checkpoint " + file + " is damaged: " + why + ". Its contents cannot be trusted;"
                + " restore the file from a backup, or start the run again without --resume (in another --out)");
    }

    private static void write(DataOutputStream out, DqnRun run) throws IOException {
        DqnAgent agent = run.agent();
        out.writeInt(MAGIC);
        out.writeUTF(agent.config().toString());
        out.writeLong(run.frame());
        int[] returns = run.returns();
        out.writeInt(returns.length);
        for (int r : returns) {
            out.writeInt(r);
        }
        out.writeInt(run.episodeReturn());
        out.writeInt(run.episodeLength());
        double[] w = run.window();
        out.writeDouble(w[0]);
        out.writeDouble(w[1]);
        out.writeInt((int) w[2]);
        run.environment().saveState().write(out);
        out.writeLong(agent.updates());
        out.writeLong(agent.sampleRng().state());
        out.writeLong(agent.actRng().state());
        writeTensors(out, live(agent.online()));
        writeTensors(out, live(agent.target()));
        OptimizerState os = agent.optimizer().state();
        writeTensors(out, os.tensors());
        out.writeInt(os.scalars().size());
        for (Map.Entry<String, Double> e : os.scalars().entrySet()) {
            out.writeUTF(e.getKey());
            out.writeDouble(e.getValue());
        }
        agent.memory().write(out);
    }

    private static void read(DataInputStream in, DqnRun run) throws IOException {
        DqnAgent agent = run.agent();
        int magic = in.readInt();
        if (magic != MAGIC && magic != MAGIC_UNCHECKED) {
            throw new IOException(FILE + " is not a DQN checkpoint");
        }
        String settings = in.readUTF();
        if (!settings.equals(agent.config().toString())) {
            throw new IOException("the checkpoint was written with other settings: " + settings + "; this run has "
                    + agent.config());
        }
        long frame = in.readLong();
        int[] returns = new int[in.readInt()];
        for (int i = 0; i < returns.length; i++) {
            returns[i] = in.readInt();
        }
        int episodeReturn = in.readInt();
        int episodeLength = in.readInt();
        double wLoss = in.readDouble();
        double wQ = in.readDouble();
        int wUpdates = in.readInt();
        run.environment().restoreState(EnvironmentState.read(in));
        agent.setUpdates(in.readLong());
        agent.sampleRng().setState(in.readLong());
        agent.actRng().setState(in.readLong());
        readTensorsInto(in, live(agent.online()), "online network");
        readTensorsInto(in, live(agent.target()), "target network");
        agent.targetChanged();
        Map<String, Tensor> optTensors = new LinkedHashMap<>(agent.optimizer().state().tensors());
        readTensorsInto(in, optTensors, "optimizer");
        Map<String, Double> scalars = new LinkedHashMap<>();
        for (int i = in.readInt(); i > 0; i--) {
            scalars.put(in.readUTF(), in.readDouble());
        }
        agent.optimizer().loadState(new OptimizerState(optTensors, scalars));
        agent.memory().read(in);
        run.restore(frame, returns, episodeReturn, episodeLength, wLoss, wQ, wUpdates);
    }

    /** A model's parameter values and buffers by state-dict name: the live tensors, not copies. */
    private static Map<String, Tensor> live(Layer model) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        ModelTree.namedParams(model).forEach((name, p) -> out.put(name, p.value()));
        out.putAll(ModelTree.namedBuffers(model));
        return out;
    }

    private static void writeTensors(DataOutputStream out, Map<String, Tensor> tensors) throws IOException {
        out.writeInt(tensors.size());
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            out.writeUTF(e.getKey());
            float[] d = e.getValue().data();
            out.writeInt(d.length);
            for (float v : d) {
                out.writeInt(Float.floatToRawIntBits(v));
            }
        }
    }

    /** Reads tensors written by {@link #writeTensors} into {@code into}'s tensors, which must have the same names and sizes. */
    private static void readTensorsInto(DataInputStream in, Map<String, Tensor> into, String what) throws IOException {
        int n = in.readInt();
        if (n != into.size()) {
            throw new IOException("checkpoint's " + what + " has " + n + " tensors, expected " + into.size());
        }
        for (int k = 0; k < n; k++) {
            String name = in.readUTF();
            Tensor t = into.get(name);
            int len = in.readInt();
            if (t == null || t.size() != len) {
                throw new IOException("checkpoint's " + what + " tensor '" + name + "' does not fit this network");
            }
            float[] d = t.data();
            for (int i = 0; i < len; i++) {
                d[i] = Float.intBitsToFloat(in.readInt());
            }
        }
    }
}
