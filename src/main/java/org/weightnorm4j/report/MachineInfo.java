package org.weightnorm4j.report;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.weightnorm4j.tensor.KernelProvider;

/**
 * Where a report's numbers were measured: the machine and the versions. Timings and even
 * float results depend on them, so every report prints them.
 *
 * @param os           operating system name, version and architecture
 * @param cpus         processors available to the JVM
 * @param jvm          JVM name, vendor and version
 * @param maxHeap      the JVM's maximum heap
 * @param weightnorm4j this library's version
 * @param kernels      the float32 kernel backend in use
 */
public record MachineInfo(String os, int cpus, String jvm, String maxHeap, String weightnorm4j, String kernels) {

    public MachineInfo {
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(jvm, "jvm");
        Objects.requireNonNull(maxHeap, "maxHeap");
        Objects.requireNonNull(weightnorm4j, "weightnorm4j");
        Objects.requireNonNull(kernels, "kernels");
    }

    /** @return this JVM's machine and versions */
    public static MachineInfo current() {
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version")
                + " (" + System.getProperty("os.arch") + ")";
        String jvm = System.getProperty("java.vm.name") + ", " + System.getProperty("java.vm.vendor")
                + ", Java " + System.getProperty("java.version");
        long heap = Runtime.getRuntime().maxMemory();
        String maxHeap = heap == Long.MAX_VALUE ? "unlimited" : (heap >> 20) + " MiB";
        return new MachineInfo(os, Runtime.getRuntime().availableProcessors(), jvm, maxHeap, libraryVersion(), currentKernels());
    }

    /** @return label → value, in display order */
    public Map<String, String> rows() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Operating system", os);
        m.put("CPUs available", Integer.toString(cpus));
        m.put("JVM", jvm);
        m.put("Max heap", maxHeap);
        m.put("weightnorm4j", weightnorm4j);
        m.put("Kernels", kernels);
        return m;
    }

    private static String currentKernels() {
        try {
            return KernelProvider.float32().name();
        } catch (RuntimeException | LinkageError e) {
            return "unavailable (" + e + ")";
        }
    }

    /**
     * The jar manifest's version, else the {@code pom.properties} Maven puts in every jar, else
     * "development build" (running from compiled classes, as in tests).
     */
    static String libraryVersion() {
        String v = MachineInfo.class.getPackage().getImplementationVersion();
        if (v != null) {
            return v;
        }
        try (InputStream in = MachineInfo.class.getResourceAsStream(
                "/META-INF/maven/org.weightnorm4j/weightnorm4j/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String pv = p.getProperty("version");
                if (pv != null) {
                    return pv;
                }
            }
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        return "development build";
    }
}
