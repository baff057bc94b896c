package org.weightnorm4j.spark;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;
import org.weightnorm4j.train.DataParallelGroup;

/**
 * The workers of one barrier stage as a {@link DataParallelGroup}. Spark's barrier gives the
 * rendezvous and the failure semantics (all tasks start together; one lost task fails the stage);
 * the numbers themselves go over plain TCP connections to worker 0, which adds them in worker order
 * (its own, then worker 1's, ..., in double precision) and sends the sums back, so every worker
 * gets the same sums, bit for bit, whatever order the messages arrived in.
 *
 * <p>Why not {@link BarrierTaskContext#allGather} for every exchange: in Spark 3.5 each barrier
 * round polls for its answer once a second ({@code BarrierTaskContext.runBarrier} sleeps 1000 ms),
 * so a step with one gradient exchange and two per mean-only batch norm layer would take seconds of
 * waiting; and every message would pass through the driver. allGather is used once, to exchange
 * worker 0's address. Why not a shared filesystem: it is slower still to poll, and needs one.
 *
 * <p>Cost, modelled in docs/SCALE.md: worker 0 receives and sends {@code (N − 1)} copies of the
 * gradient per step (a star; a ring all-reduce would move {@code 2 (N − 1)/N} copies per worker).
 */
final class BarrierGroup implements DataParallelGroup, Closeable {
    /** How long a worker waits for the others at one exchange before failing the stage (a hung worker). */
    static final int TIMEOUT_MS = 10 * 60 * 1000;

    private final int rank;
    private final int size;
    /** Worker 0: the connection to worker k at index k (index 0 unused). Others: index 0, the connection to worker 0. */
    private final Socket[] sockets;
    private final DataInputStream[] in;
    private final DataOutputStream[] out;
    private byte[] buffer = new byte[0];
    private double[] totals = new double[0];
    private long exchangeNanos;
    private long exchanges;
    private long bytesSent;

    BarrierGroup(BarrierTaskContext context) {
        this.rank = context.partitionId();
        this.size = context.getTaskInfos().length;
        this.sockets = new Socket[size];
        this.in = new DataInputStream[size];
        this.out = new DataOutputStream[size];
        if (size == 1) {
            return;
        }
        try {
            connect(context);
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("data-parallel worker " + rank + " could not connect to the others: "
                    + e.getMessage(), e);
        }
    }

    /** Worker 0 listens; every worker learns its address through one allGather; the others connect and say who they are. */
    private void connect(BarrierTaskContext context) throws IOException {
        String host = hostOf(context.getTaskInfos()[rank].address());
        try (ServerSocket server = rank == 0 ? new ServerSocket() : null) {
            String mine = "";
            if (server != null) {
                server.bind(new InetSocketAddress(0), size);
                server.setSoTimeout(TIMEOUT_MS);
                mine = host + ":" + server.getLocalPort();
            }
            String lead = context.allGather(mine)[0];
            if (server != null) {
                for (int k = 1; k < size; k++) {
                    Socket s = server.accept();
                    DataInputStream i = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
                    int who = i.readInt();
                    if (who < 1 || who >= size || sockets[who] != null) {
                        s.close();
                        throw new IOException("worker 0 got a connection from an unknown worker " + who);
                    }
                    attach(who, s, i);
                }
            } else {
                int colon = lead.lastIndexOf(':');
                Socket s = new Socket();
                s.connect(new InetSocketAddress(lead.substring(0, colon), Integer.parseInt(lead.substring(colon + 1))),
                        TIMEOUT_MS);
                attach(0, s, new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16)));
                out[0].writeInt(rank);
                out[0].flush();
            }
        }
    }

    private void attach(int k, Socket s, DataInputStream i) throws IOException {
        s.setSoTimeout(TIMEOUT_MS);
        s.setTcpNoDelay(true);
        sockets[k] = s;
        in[k] = i;
        out[k] = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 1 << 16));
    }

    /** The host of a task's address as Spark gives it ({@code host:port}, or a bare host). */
    private static String hostOf(String address) {
        int colon = address.lastIndexOf(':');
        return colon > 0 && address.indexOf(':') == colon ? address.substring(0, colon) : address;
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void allSum(double[] values) {
        if (size == 1) {
            return; // the sum over one worker is its own values (and one worker stays bit-identical to one process)
        }
        long t0 = System.nanoTime();
        ensure(values.length, 0);
        System.arraycopy(values, 0, totals, 0, values.length);
        exchange(values.length, 0);
        System.arraycopy(totals, 0, values, 0, values.length);
        exchangeNanos += System.nanoTime() - t0;
    }

    @Override
    public void allSum(List<Param> params, double[] scalars) {
        if (size == 1) {
            return;
        }
        long t0 = System.nanoTime();
        int floats = 0;
        for (Param p : params) {
            floats += p.grad().size();
        }
        ensure(scalars.length, floats);
        System.arraycopy(scalars, 0, totals, 0, scalars.length);
        int k = scalars.length;
        for (Param p : params) {
            Tensor g = p.grad();
            int m = g.size();
            if (g.dtype() == DType.FLOAT32) {
                float[] d = g.data();
                for (int i = 0; i < m; i++) {
                    totals[k++] = d[i];
                }
            } else {
                for (int i = 0; i < m; i++) {
                    totals[k++] = g.get(i);
                }
            }
        }
        exchange(scalars.length, floats);
        System.arraycopy(totals, 0, scalars, 0, scalars.length);
        k = scalars.length;
        for (Param p : params) {
            Tensor g = p.grad();
            int m = g.size();
            if (g.dtype() == DType.FLOAT32) {
                float[] d = g.data();
                for (int i = 0; i < m; i++) {
                    d[i] = (float) totals[k++]; // float(Σ in double): the same on every worker
                }
            } else {
                for (int i = 0; i < m; i++) {
                    g.set(i, totals[k++]);
                }
            }
        }
        exchangeNanos += System.nanoTime() - t0;
    }

    private void ensure(int doubles, int floats) {
        if (totals.length != doubles + floats) {
            totals = new double[doubles + floats];
        }
        int bytes = 8 * doubles + 4 * floats;
        if (buffer.length != bytes) {
            buffer = new byte[bytes];
        }
    }

    /**
     * Replaces {@code totals} (its first {@code doubles} values sent as doubles, the next {@code floats}
     * as floats) by the sums over the workers, in worker order, everywhere.
     */
    private void exchange(int doubles, int floats) {
        if (size == 1) {
            return;
        }
        exchanges++;
        try {
            if (rank == 0) {
                for (int k = 1; k < size; k++) { // worker order: 0 (already in totals), 1, ..., N-1
                    in[k].readFully(buffer);
                    ByteBuffer b = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < doubles; i++) {
                        totals[i] += b.getDouble();
                    }
                    for (int i = doubles; i < doubles + floats; i++) {
                        totals[i] += b.getFloat();
                    }
                }
                encode(doubles, floats);
                for (int k = 1; k < size; k++) {
                    out[k].write(buffer);
                    out[k].flush();
                    bytesSent += buffer.length;
                }
            } else {
                encode(doubles, floats);
                out[0].write(buffer);
                out[0].flush();
                bytesSent += buffer.length;
                in[0].readFully(buffer);
                ByteBuffer b = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < doubles; i++) {
                    totals[i] = b.getDouble();
                }
                for (int i = doubles; i < doubles + floats; i++) {
                    totals[i] = b.getFloat();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("data-parallel worker " + rank + " lost the connection to "
                    + (rank == 0 ? "a worker" : "worker 0") + " (" + e + "); the stage fails and is retried"
                    + " from the last checkpoint", e);
        }
    }

    /** {@code totals} into {@code buffer}: doubles, then floats (sums of floats are rounded to float once, here). */
    private void encode(int doubles, int floats) {
        ByteBuffer b = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < doubles; i++) {
            b.putDouble(totals[i]);
        }
        for (int i = doubles; i < doubles + floats; i++) {
            b.putFloat((float) totals[i]);
        }
    }

    /** Seconds this worker spent in exchanges (copying, sending, waiting for the others, summing). */
    double exchangeSeconds() {
        return exchangeNanos * 1e-9;
    }

    long exchanges() {
        return exchanges;
    }

    long bytesSent() {
        return bytesSent;
    }

    @Override
    public void close() {
        for (Socket s : sockets) {
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing: nothing left to do with it
                }
            }
        }
    }
}
