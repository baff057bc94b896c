package org.weightnorm4j.train.checkpoint;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One run directory, one writer: {@code DIR/run.lock}, locked with {@link FileChannel#tryLock()}
 * (an operating-system lock, released by the kernel when its process dies, however it dies) and
 * holding {@code pid=… host=…} of its holder for the messages. A second writer, in this JVM or
 * another, is refused with the holder's PID and host. A lock file whose lock is free but which
 * still names a holder was left by a process that died (a clean exit empties it): that is said,
 * and the lock taken over.
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE = "run.lock";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code dir} (created if missing) for this process.
     *
     * @param notices where the one line about a stale lock taken over goes
     * @throws CheckpointException if another process (or this one) holds it, naming the holder
     */
    public static RunLock acquire(Path dir, Consumer<String> notices) {
        Path file = dir.resolve(FILE);
        FileChannel ch = null;
        try {
            Files.createDirectories(dir);
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very JVM (another run in the same process)
            }
            String holder = read(ch);
            if (lock == null) {
                ch.close();
                throw new CheckpointException("the run directory " + dir + " is in use by another weightnorm process ("
                        + (holder.isEmpty() ? "holder unknown" : holder) + ", see " + file + "); two runs writing"
                        + " one directory would mix their checkpoints and metrics. Wait for it to finish or stop it,"
                        + " or choose another --out");
            }
            if (!holder.isEmpty()) {
                notices.accept("note: " + file + " was left by " + holder + ", which " + (alive(holder) ? "no longer"
                        + " holds it" : "is no longer running") + " (a stale lock); taking it over");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(("pid=" + ProcessHandle.current().pid() + " host=" + host() + "\n")
                    .getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(true);
            return new RunLock(file, ch, lock);
        } catch (IOException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // the error below is the one that matters
                }
            }
            throw new CheckpointException("cannot lock the run directory " + dir + " (" + file + ": " + e.getMessage()
                    + "); choose a writable --out directory", e);
        }
    }

    /** Empties the file (so that the next run sees a clean release, not a stale lock) and releases the lock. */
    @Override
    public void close() {
        try {
            channel.truncate(0);
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the kernel releases the lock when the channel or the process goes anyway
        }
    }

    public Path file() {
        return file;
    }

    private static String read(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(ch.size(), 512));
        ch.read(b, 0);
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).trim();
    }

    /** Whether the PID a lock file names is a live process on this host (PIDs on other hosts cannot be checked). */
    private static boolean alive(String holder) {
        String[] parts = holder.split("\\s+");
        if (parts.length < 2 || !parts[0].startsWith("pid=") || !parts[1].equals("host=" + host())) {
            return false;
        }
        try {
            Optional<ProcessHandle> p = ProcessHandle.of(Long.parseLong(parts[0].substring(4)));
            return p.map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String host() {
        String h = HOST;
        if (h == null) {
            HOST = h = lookUpHost();
        }
        return h;
    }

    private static volatile String HOST;

    /** The kernel's host name where Linux shows it (InetAddress may wait seconds on a DNS lookup), else Java's. */
    private static String lookUpHost() {
        try {
            String h = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!h.isEmpty() && !h.contains(" ")) {
                return h;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: ask Java
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }
}
