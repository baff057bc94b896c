package org.weightnorm4j.tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The hardware the kernels run on, as the operating system reports it: the CPU model, the data
 * cache sizes per level and the core count. {@code PanamaGemm} sizes its blocks from the caches
 * ({@link GemmBlocking}), and every {@code weightnorm bench} line and {@code weightnorm --verbose}
 * print it, so that a number always says which host made it.
 *
 * <p>Read once from Linux's {@code /proc/cpuinfo} and {@code /sys/devices/system/cpu/cpu0/cache/}.
 * Where sysfs has no cache tree but cpuinfo has a {@code cache size} line (a VM that hides sysfs),
 * that line gives L2 on AMD and Hygon and the last level (L3) on Intel, as Linux fills it;
 * elsewhere (another OS, a container that hides sysfs, a VM that reports no cache) a missing value
 * is "unknown" ({@link #UNKNOWN}, printed as {@code "unknown"}) and the GEMM falls back to its
 * default blocking. Never throws for odd or absent files: a host description must not stop a run.
 *
 * @param cpuModel   the {@code model name} line (x86), or another name line ({@code Model},
 *                   {@code Hardware}, ARM's {@code CPU part}), or "unknown"
 * @param cpuFamily  x86's {@code cpu family} and {@code model} numbers ("25/1"), or "" when absent;
 *                   hypervisors often hide the marketing name ("AMD EPYC") but not these
 * @param isa        the widest x86 vector extension in the flags: "avx512f", "avx2", "avx", "sse",
 *                   or "unknown" (not x86, or no flags line)
 * @param l1dBytes   the level-1 data cache of one core, in bytes, or {@link #UNKNOWN}
 * @param l2Bytes    the level-2 cache, or {@link #UNKNOWN}
 * @param l3Bytes    the level-3 cache, or {@link #UNKNOWN}
 * @param l3SharedBy how many of the listed CPUs share that L3 (1 when unknown)
 * @param cores      the processors this JVM may use ({@link Runtime#availableProcessors()})
 */
public record HostInfo(String cpuModel, String cpuFamily, String isa, long l1dBytes, long l2Bytes, long l3Bytes,
                       int l3SharedBy, int cores) {
    /** A cache size the system did not report. */
    public static final long UNKNOWN = -1;

    static final Path CPUINFO = Path.of("/proc/cpuinfo");
    static final Path CACHE_DIR = Path.of("/sys/devices/system/cpu/cpu0/cache");

    private static final class Holder {
        static final HostInfo CURRENT = read(CPUINFO, CACHE_DIR, Runtime.getRuntime().availableProcessors());
    }

    /** This host, read once. */
    public static HostInfo current() {
        return Holder.CURRENT;
    }

    /**
     * Reads a host description from a cpuinfo file and a sysfs cache directory (the directory that
     * holds {@code index0}, {@code index1}, ...); either may be missing. For tests, and for
     * {@link #current()}.
     */
    static HostInfo read(Path cpuinfo, Path cacheDir, int cores) {
        Map<String, String> cpu = firstProcessor(cpuinfo);
        String model = firstPresent(cpu, "model name", "Model", "Hardware", "cpu model", "Processor", "CPU part");
        String family = cpu.containsKey("cpu family") && cpu.containsKey("model")
                ? cpu.get("cpu family") + "/" + cpu.get("model") : "";
        String isa = isa(cpu.get("flags"));
        long l1d = UNKNOWN, l2 = UNKNOWN, l3 = UNKNOWN;
        int l3Sharers = 1;
        for (Path index : cacheIndices(cacheDir)) {
            String type = readLine(index.resolve("type"));
            String level = readLine(index.resolve("level"));
            long size = parseSize(readLine(index.resolve("size")));
            if (type == null || level == null || size == UNKNOWN || type.equalsIgnoreCase("Instruction")) {
                continue;
            }
            switch (level.trim()) {
                case "1" -> l1d = size;
                case "2" -> l2 = size;
                case "3" -> {
                    l3 = size;
                    l3Sharers = Math.max(1, countCpus(readLine(index.resolve("shared_cpu_list"))));
                }
                default -> {
                }
            }
        }
        if (l2 == UNKNOWN && l3 == UNKNOWN) {
            // No sysfs cache tree (a Firecracker VM hides it: the Zen 5 host of session 12). cpuinfo's
            // "cache size" is still there, and Linux fills it from CPUID with L2 on AMD and Hygon and
            // with the last level on Intel (shared by the package's "siblings").
            long reported = parseSize(cpu.get("cache size"));
            String vendor = cpu.getOrDefault("vendor_id", "");
            if (vendor.equals("AuthenticAMD") || vendor.equals("HygonGenuine")) {
                l2 = reported;
            } else if (vendor.equals("GenuineIntel") && reported != UNKNOWN) {
                l3 = reported;
                l3Sharers = Math.max(1, parsePositive(cpu.get("siblings")));
            }
        }
        return new HostInfo(model == null || model.isBlank() ? "unknown" : model.trim(), family, isa,
                l1d, l2, l3, l3Sharers, Math.max(1, cores));
    }

    /**
     * The fields every benchmark line carries, in order: {@code host_cpu}, {@code host_isa},
     * {@code host_vector_bits} and {@code host_kernels} (the float32 backend chosen, e.g.
     * {@code panama-256}), {@code host_l1d}, {@code host_l2}, {@code host_l3} (e.g. "32K",
     * "unknown"), {@code host_cores}. Choosing the backend if that has not happened yet.
     */
    public Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("host_cpu", cpuFamily.isEmpty() ? cpuModel : cpuModel + " (family/model " + cpuFamily + ")");
        f.put("host_isa", isa);
        int bits = KernelProvider.vectorBits();
        f.put("host_vector_bits", bits > 0 ? (Object) bits : "unknown");
        f.put("host_kernels", KernelProvider.float32().name());
        f.put("host_l1d", formatSize(l1dBytes));
        f.put("host_l2", formatSize(l2Bytes));
        f.put("host_l3", formatSize(l3Bytes) + (l3SharedBy > 1 ? " shared by " + l3SharedBy : ""));
        f.put("host_cores", cores);
        return f;
    }

    /** One line for {@code weightnorm --verbose}: {@code host: AMD EPYC (...), avx2, L1d 32K, L2 512K, L3 32M, 2 cores}. */
    public String describe() {
        return "host: " + (cpuFamily.isEmpty() ? cpuModel : cpuModel + " (family/model " + cpuFamily + ")")
                + ", " + isa + ", L1d " + formatSize(l1dBytes) + ", L2 " + formatSize(l2Bytes)
                + ", L3 " + formatSize(l3Bytes) + (l3SharedBy > 1 ? " (shared by " + l3SharedBy + " CPUs)" : "")
                + ", " + cores + (cores == 1 ? " core" : " cores");
    }

    /** "32K", "1M", "32M", a byte count when not a whole KiB, or "unknown". */
    static String formatSize(long bytes) {
        if (bytes < 0) {
            return "unknown";
        }
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return bytes / (1 << 20) + "M";
        }
        return bytes % 1024 == 0 ? bytes / 1024 + "K" : Long.toString(bytes);
    }

    /**
     * A sysfs cache size: a number with an optional K, M or G suffix (binary units, as the kernel
     * writes them: "32K", "32768K"), or {@link #UNKNOWN} for anything else.
     */
    static long parseSize(String text) {
        if (text == null) {
            return UNKNOWN;
        }
        String s = text.trim().toUpperCase(Locale.ROOT);
        if (s.endsWith("B")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.endsWith("I")) {   // "KiB" written out
            s = s.substring(0, s.length() - 1);
        }
        long unit = 1;
        if (!s.isEmpty()) {
            switch (s.charAt(s.length() - 1)) {
                case 'K' -> unit = 1L << 10;
                case 'M' -> unit = 1L << 20;
                case 'G' -> unit = 1L << 30;
                default -> unit = 1;
            }
            if (unit != 1) {
                s = s.substring(0, s.length() - 1).trim();
            }
        }
        try {
            long n = Long.parseLong(s);
            return n > 0 ? n * unit : UNKNOWN;
        } catch (NumberFormatException e) {
            return UNKNOWN;
        }
    }

    /** A positive whole number, or 0 when {@code text} is not one. */
    private static int parsePositive(String text) {
        try {
            return text == null ? 0 : Math.max(0, Integer.parseInt(text.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** How many CPUs a sysfs list such as "0-1", "0,2,4-7" or "3" names; 0 when it cannot be read. */
    static int countCpus(String list) {
        if (list == null || list.isBlank()) {
            return 0;
        }
        int count = 0;
        try {
            for (String part : list.trim().split(",")) {
                String[] range = part.trim().split("-");
                if (range.length == 1) {
                    Integer.parseInt(range[0].trim());
                    count++;
                } else if (range.length == 2) {
                    count += Integer.parseInt(range[1].trim()) - Integer.parseInt(range[0].trim()) + 1;
                } else {
                    return 0;
                }
            }
        } catch (NumberFormatException e) {
            return 0;
        }
        return Math.max(0, count);
    }

    /** The widest x86 vector extension named in a cpuinfo {@code flags} line. */
    static String isa(String flags) {
        if (flags == null) {
            return "unknown";
        }
        List<String> f = List.of(flags.trim().split("\\s+"));
        for (String name : List.of("avx512f", "avx2", "avx", "sse")) {
            if (f.contains(name)) {
                return name;
            }
        }
        return "unknown";
    }

    /** The "key : value" lines of the first processor block of a cpuinfo file (empty if unreadable). */
    private static Map<String, String> firstProcessor(Path cpuinfo) {
        Map<String, String> fields = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(cpuinfo);
        } catch (IOException | RuntimeException e) {
            return fields;
        }
        boolean seenProcessor = false;
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                if (line.isBlank() && seenProcessor && fields.containsKey("flags")) {
                    break;    // end of the first x86 block; ARM puts "Hardware" after all blocks, so go on there
                }
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (key.equals("processor")) {
                seenProcessor = true;
            }
            fields.putIfAbsent(key, value);
        }
        return fields;
    }

    private static String firstPresent(Map<String, String> fields, String... keys) {
        for (String key : keys) {
            String v = fields.get(key);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    /** The {@code index*} directories of a sysfs cache directory, in order; empty when absent. */
    private static List<Path> cacheIndices(Path cacheDir) {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(cacheDir)) {
            s.filter(p -> p.getFileName().toString().startsWith("index")).sorted().forEach(out::add);
        } catch (IOException | RuntimeException e) {
            return out;
        }
        return out;
    }

    private static String readLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.isEmpty() ? null : lines.get(0);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
