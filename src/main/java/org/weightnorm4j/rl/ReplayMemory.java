package org.weightnorm4j.rl;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import org.weightnorm4j.tensor.Tensor;

/**
 * DQN's replay memory: a ring buffer of the last {@code capacity} transitions
 * {@code (s, a, r, s', done)}, with uniform minibatch sampling.
 *
 * <p>MinAtar observations are 0/1, so each is stored as bits ({@code C*100} bits in
 * {@code ceil(C*100/64)} longs): 100,000 transitions of Seaquest's 10 channels take 32 MB for
 * {@code s} and {@code s'} together instead of 800 MB as float32. Everything is allocated up front;
 * {@link #add} and {@link #sample} allocate nothing.
 *
 * <p>Sampling draws indices uniformly from the transitions held, with replacement, from the
 * caller's {@link SplitMix64}, so a run's minibatches follow from its seed, and a checkpoint that
 * saves the generator's state and this memory ({@link #write}) continues with the same draws.
 */
public final class ReplayMemory {
    private final int capacity;
    private final int channels;
    private final int bits;
    private final int words;
    private final long[] states;
    private final long[] nextStates;
    private final byte[] actions;
    private final float[] rewards;
    private final boolean[] dones;
    /** Where the next transition goes. */
    private int next;
    private int size;

    public ReplayMemory(int capacity, int channels) {
        if (capacity < 1 || channels < 1) {
            throw new IllegalArgumentException("replay memory needs capacity >= 1 and channels >= 1, got " + capacity + ", " + channels);
        }
        this.capacity = capacity;
        this.channels = channels;
        this.bits = channels * Environment.CELLS;
        this.words = (bits + 63) / 64;
        this.states = new long[capacity * words];
        this.nextStates = new long[capacity * words];
        this.actions = new byte[capacity];
        this.rewards = new float[capacity];
        this.dones = new boolean[capacity];
    }

    public int capacity() {
        return capacity;
    }

    public int channels() {
        return channels;
    }

    /** Transitions held: grows to {@link #capacity()} and stays there. */
    public int size() {
        return size;
    }

    /**
     * Stores a transition, overwriting the oldest once full; observations are {@code C*100} values
     * of 0 or 1 (any non-zero value is stored as 1).
     */
    public void add(float[] state, int action, float reward, float[] nextState, boolean done) {
        pack(state, states, next * words);
        pack(nextState, nextStates, next * words);
        actions[next] = (byte) action;
        rewards[next] = reward;
        dones[next] = done;
        next = next + 1 == capacity ? 0 : next + 1;
        if (size < capacity) {
            size++;
        }
    }

    /**
     * Fills {@code into} with {@code into.size()} transitions drawn uniformly (with replacement)
     * from those held, using {@code rng}.
     */
    public void sample(SplitMix64 rng, Minibatch into) {
        if (size == 0) {
            throw new IllegalStateException("cannot sample from an empty replay memory");
        }
        for (int k = 0; k < into.size(); k++) {
            into.indices[k] = rng.nextInt(size);
        }
        gather(into);
    }

    /** Copies the transitions at {@code into.indices} (ring positions, each below {@link #size()}) into {@code into}. */
    public void gather(Minibatch into) {
        if (into.channels() != channels) {
            throw new IllegalArgumentException("minibatch has " + into.channels() + " channels, the memory " + channels);
        }
        float[] s = into.states.data();
        float[] s2 = into.nextStates.data();
        for (int k = 0; k < into.size(); k++) {
            int i = into.indices[k];
            unpack(states, i * words, s, k * bits);
            unpack(nextStates, i * words, s2, k * bits);
            into.actions[k] = actions[i];
            into.rewards[k] = rewards[i];
            into.dones[k] = dones[i] ? 1f : 0f;
        }
    }

    private void pack(float[] obs, long[] to, int at) {
        if (obs.length < bits) {
            throw new IllegalArgumentException("observation has " + obs.length + " values, expected " + bits);
        }
        for (int w = 0; w < words; w++) {
            long word = 0;
            int base = w * 64;
            int end = Math.min(64, bits - base);
            for (int b = 0; b < end; b++) {
                if (obs[base + b] != 0f) {
                    word |= 1L << b;
                }
            }
            to[at + w] = word;
        }
    }

    /**
     * Writes 0 everywhere, then 1 at each set bit: MinAtar frames are mostly empty (a few percent of
     * the cells are set), so visiting only the set bits is several times faster than testing each
     * of the {@code C*100} bits, with the same values.
     */
    private void unpack(long[] from, int at, float[] out, int offset) {
        Arrays.fill(out, offset, offset + bits, 0f);
        for (int w = 0; w < words; w++) {
            long word = from[at + w];
            if (w == words - 1 && bits % 64 != 0) {
                word &= (1L << (bits % 64)) - 1;    // only the observation's bits (pack sets no others)
            }
            int base = offset + w * 64;
            while (word != 0) {
                out[base + Long.numberOfTrailingZeros(word)] = 1f;
                word &= word - 1;                    // clear the lowest set bit
            }
        }
    }

    /** Writes the held transitions and the ring position (only the filled part, oldest layout kept). */
    public void write(DataOutput out) throws IOException {
        out.writeInt(capacity);
        out.writeInt(channels);
        out.writeInt(next);
        out.writeInt(size);
        for (int i = 0; i < size; i++) {
            for (int w = 0; w < words; w++) {
                out.writeLong(states[i * words + w]);
                out.writeLong(nextStates[i * words + w]);
            }
            out.writeByte(actions[i]);
            out.writeFloat(rewards[i]);
            out.writeBoolean(dones[i]);
        }
    }

    /** Restores what {@link #write} wrote into this memory, which must have the same capacity and channels. */
    public void read(DataInput in) throws IOException {
        int c = in.readInt();
        int ch = in.readInt();
        if (c != capacity || ch != channels) {
            throw new IOException("replay memory was saved with capacity " + c + " and " + ch + " channels, this one has "
                    + capacity + " and " + channels);
        }
        int n = in.readInt();
        int s = in.readInt();
        if (s < 0 || s > capacity || n < 0 || n >= capacity) {
            throw new IOException("corrupt replay memory: size " + s + ", position " + n);
        }
        next = n;
        size = s;
        for (int i = 0; i < size; i++) {
            for (int w = 0; w < words; w++) {
                states[i * words + w] = in.readLong();
                nextStates[i * words + w] = in.readLong();
            }
            actions[i] = in.readByte();
            rewards[i] = in.readFloat();
            dones[i] = in.readBoolean();
        }
    }

    /** A minibatch's buffers, allocated once and refilled by {@link #sample}. */
    public static final class Minibatch {
        final int[] indices;
        private final Tensor states;
        private final Tensor nextStates;
        private final int[] actions;
        private final float[] rewards;
        private final float[] dones;

        public Minibatch(int size, int channels) {
            this.indices = new int[size];
            this.states = Tensor.zeros(size, channels, Environment.SIZE, Environment.SIZE);
            this.nextStates = Tensor.zeros(size, channels, Environment.SIZE, Environment.SIZE);
            this.actions = new int[size];
            this.rewards = new float[size];
            this.dones = new float[size];
        }

        public int size() {
            return indices.length;
        }

        public int channels() {
            return states.dim(1);
        }

        /** The ring positions drawn by the last {@link ReplayMemory#sample}. */
        public int[] indices() {
            return indices;
        }

        /** {@code s}, {@code [B, C, 10, 10]}. */
        public Tensor states() {
            return states;
        }

        /** {@code s'}, {@code [B, C, 10, 10]}. */
        public Tensor nextStates() {
            return nextStates;
        }

        public int[] actions() {
            return actions;
        }

        public float[] rewards() {
            return rewards;
        }

        /** 1 where the episode ended with the transition, else 0. */
        public float[] dones() {
            return dones;
        }
    }
}
