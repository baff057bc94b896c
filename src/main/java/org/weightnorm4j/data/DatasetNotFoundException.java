package org.weightnorm4j.data;

import java.io.FileNotFoundException;
import java.util.List;

/** No place the {@link DatasetLocator} looked holds the dataset; the message lists them all and what to do. */
public final class DatasetNotFoundException extends FileNotFoundException {
    private static final long serialVersionUID = 1L;

    private final transient List<DatasetLocator.Probe> probes;

    public DatasetNotFoundException(String message, List<DatasetLocator.Probe> probes) {
        super(message);
        this.probes = List.copyOf(probes);
    }

    /** The places looked at, in order. */
    public List<DatasetLocator.Probe> probes() {
        return probes;
    }
}
