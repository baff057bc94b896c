package org.weightnorm4j.experiments;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How a {@link GridRun} gets its data in any JVM: a small serializable recipe (a dataset, where it
 * lies, how much of it) instead of the loaded images, so that the run can travel to a Spark executor
 * and load its data there. {@link WorkloadSource} is the classifiers' ({@code compare},
 * {@code lr-sweep}); the VAE and DRAW grids have theirs ({@link VaeGridRun.Mnist},
 * {@link DrawGridRun.Mnist}). Implementations are values (records): equal sources give equal data,
 * which {@link #cached} relies on.
 *
 * @param <T> what {@link #load} returns
 */
public interface GridData<T> extends Serializable {

    /** Loads (and preprocesses) the data. */
    T load() throws IOException;

    /**
     * The data of {@code source}, loaded once per JVM: the runs of a grid that land in the same
     * executor share one copy (the runs only read it), and in Spark's local mode the tasks use the
     * copy the driver loaded.
     */
    static <T> T cached(GridData<T> source) {
        try {
            return loadCached(source);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the data of a grid run (" + source + "): " + e.getMessage(), e);
        }
    }

    /** As {@link #cached}, with a failure to read the data as it is (the CLI reports it as without the cache). */
    static <T> T loadCached(GridData<T> source) throws IOException {
        synchronized (Cache.class) { // one load at a time: two tasks of one executor must not read the data twice
            @SuppressWarnings("unchecked") // the map holds source -> source.load(), so the value has the source's type
            T data = (T) Cache.LOADED.get(source);
            if (data == null) {
                data = source.load();
                Cache.LOADED.put(source, data);
            }
            return data;
        }
    }

    /** Holder of the per-JVM cache (an interface cannot have private fields). */
    final class Cache {
        private static final Map<GridData<?>, Object> LOADED = new ConcurrentHashMap<>();

        private Cache() {
        }
    }
}
