package org.weightnorm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link HostInfo} on fake {@code /proc/cpuinfo} files and sysfs cache trees: complete, missing and odd. */
class HostInfoTest {
    @TempDir
    Path tmp;

    private static final String X86 = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            cpu family\t: 25
            model\t\t: 1
            model name\t: AMD EPYC 7B13
            flags\t\t: fpu sse sse2 avx fma avx2 bmi2

            processor\t: 1
            model name\t: something else
            flags\t\t: fpu
            """;

    /** One sysfs {@code indexN} directory; a null value leaves that file out. */
    private void cache(Path dir, int index, String level, String type, String size, String shared) throws IOException {
        Path d = dir.resolve("index" + index);
        Files.createDirectories(d);
        if (level != null) {
            Files.writeString(d.resolve("level"), level + "\n");
        }
        if (type != null) {
            Files.writeString(d.resolve("type"), type + "\n");
        }
        if (size != null) {
            Files.writeString(d.resolve("size"), size + "\n");
        }
        if (shared != null) {
            Files.writeString(d.resolve("shared_cpu_list"), shared + "\n");
        }
    }

    @Test
    void readsALinuxX86Host() throws IOException {
        Path cpuinfo = Files.writeString(tmp.resolve("cpuinfo"), X86);
        Path caches = tmp.resolve("cache");
        cache(caches, 0, "1", "Data", "32K", "0");
        cache(caches, 1, "1", "Instruction", "64K", "0");
        cache(caches, 2, "2", "Unified", "512K", "0");
        cache(caches, 3, "3", "Unified", "32768K", "0-1");
        HostInfo h = HostInfo.read(cpuinfo, caches, 2);
        assertEquals(new HostInfo("AMD EPYC 7B13", "25/1", "avx2", 32 << 10, 512 << 10, 32L << 20, 2, 2), h);
        assertEquals("host: AMD EPYC 7B13 (family/model 25/1), avx2, L1d 32K, L2 512K, L3 32M (shared by 2 CPUs), 2 cores",
                h.describe());
        Map<String, Object> f = h.fields();
        assertEquals("32K", f.get("host_l1d"));
        assertEquals("512K", f.get("host_l2"));
        assertEquals("32M shared by 2", f.get("host_l3"));
        assertEquals(2, f.get("host_cores"));
        assertTrue(f.containsKey("host_vector_bits") && f.containsKey("host_kernels"), f.toString());
    }

    @Test
    void missingFilesAreUnknownNotErrors() {
        HostInfo h = HostInfo.read(tmp.resolve("no-cpuinfo"), tmp.resolve("no-cache-dir"), 0);
        assertEquals("unknown", h.cpuModel());
        assertEquals("unknown", h.isa());
        assertEquals(HostInfo.UNKNOWN, h.l1dBytes());
        assertEquals(HostInfo.UNKNOWN, h.l2Bytes());
        assertEquals(HostInfo.UNKNOWN, h.l3Bytes());
        assertEquals(1, h.cores(), "at least one core");
        assertEquals("unknown", h.fields().get("host_l2"));
        assertTrue(h.describe().contains("L1d unknown, L2 unknown, L3 unknown"), h.describe());
    }

    @Test
    void withoutSysfsCachesCpuinfosCacheSizeIsL2OnAmd() throws IOException {
        // The Zen 5 host of session 12 (a Firecracker VM): no sysfs cache tree, "cache size" in cpuinfo.
        Path cpuinfo = Files.writeString(tmp.resolve("cpuinfo"), X86.replace("model name", "cache size\t: 1024 KB\nmodel name"));
        HostInfo h = HostInfo.read(cpuinfo, tmp.resolve("no-cache-dir"), 2);
        assertEquals(1 << 20, h.l2Bytes());
        assertEquals(HostInfo.UNKNOWN, h.l3Bytes());
        assertEquals(HostInfo.UNKNOWN, h.l1dBytes());
        assertEquals(1024, GemmBlocking.derive(h, 8, 32).kc(), "the kc of a Zen 4 host that reports its 1 MiB L2");
    }

    @Test
    void withoutSysfsCachesCpuinfosCacheSizeIsTheSharedL3OnIntel() throws IOException {
        Path cpuinfo = Files.writeString(tmp.resolve("cpuinfo"), X86.replace("AuthenticAMD", "GenuineIntel")
                .replace("model name", "siblings\t: 16\ncache size\t: 30720 KB\nmodel name"));
        HostInfo h = HostInfo.read(cpuinfo, tmp.resolve("no-cache-dir"), 2);
        assertEquals(HostInfo.UNKNOWN, h.l2Bytes());
        assertEquals(30L << 20, h.l3Bytes());
        assertEquals(16, h.l3SharedBy());
    }

    @Test
    void sysfsWinsOverCpuinfoAndOtherVendorsStayUnknown() throws IOException {
        Path amd = Files.writeString(tmp.resolve("cpuinfo"), X86.replace("model name", "cache size\t: 1024 KB\nmodel name"));
        Path caches = tmp.resolve("cache");
        cache(caches, 0, "2", "Unified", "512K", "0");
        assertEquals(512 << 10, HostInfo.read(amd, caches, 2).l2Bytes(), "sysfs, where it reports a cache, decides");
        Path other = Files.writeString(tmp.resolve("cpuinfo2"), X86.replace("AuthenticAMD", "SomeVendor")
                .replace("model name", "cache size\t: 1024 KB\nmodel name"));
        HostInfo h = HostInfo.read(other, tmp.resolve("no-cache-dir"), 2);
        assertEquals(HostInfo.UNKNOWN, h.l2Bytes(), "a vendor whose cache size line is not documented");
        assertEquals(HostInfo.UNKNOWN, h.l3Bytes());
    }

    @Test
    void oddCacheEntriesAreSkipped() throws IOException {
        Path caches = tmp.resolve("cache");
        cache(caches, 0, "1", "Data", "48K", "0");
        cache(caches, 1, "2", "Unified", "", "0");              // empty size
        cache(caches, 2, "2", null, "2048K", "0");              // no type
        cache(caches, 3, "3", "Unified", "lots", "0-15");       // not a number
        cache(caches, 4, null, "Unified", "1M", "0");           // no level
        HostInfo h = HostInfo.read(tmp.resolve("none"), caches, 4);
        assertEquals(48 << 10, h.l1dBytes());
        assertEquals(HostInfo.UNKNOWN, h.l2Bytes());
        assertEquals(HostInfo.UNKNOWN, h.l3Bytes());
    }

    @Test
    void armCpuinfoNamesTheHardware() throws IOException {
        Path cpuinfo = Files.writeString(tmp.resolve("cpuinfo"), """
                processor\t: 0
                BogoMIPS\t: 50.00
                Features\t: fp asimd evtstrm
                CPU part\t: 0xd0c

                Hardware\t: Some Board
                """);
        HostInfo h = HostInfo.read(cpuinfo, tmp.resolve("none"), 8);
        assertEquals("Some Board", h.cpuModel());
        assertEquals("", h.cpuFamily());
        assertEquals("unknown", h.isa());
    }

    @Test
    void sizesAndCpuListsParse() {
        assertEquals(32 << 10, HostInfo.parseSize("32K"));
        assertEquals(1 << 20, HostInfo.parseSize(" 1M "));
        assertEquals(2L << 30, HostInfo.parseSize("2G"));
        assertEquals(512 << 10, HostInfo.parseSize("512KiB"));
        assertEquals(4096, HostInfo.parseSize("4096"));
        assertEquals(HostInfo.UNKNOWN, HostInfo.parseSize("0K"));
        assertEquals(HostInfo.UNKNOWN, HostInfo.parseSize("-1K"));
        assertEquals(HostInfo.UNKNOWN, HostInfo.parseSize("K"));
        assertEquals(HostInfo.UNKNOWN, HostInfo.parseSize(null));
        assertEquals(2, HostInfo.countCpus("0-1"));
        assertEquals(6, HostInfo.countCpus("0,2,4-7"));
        assertEquals(1, HostInfo.countCpus("3"));
        assertEquals(0, HostInfo.countCpus("x-y"));
        assertEquals(0, HostInfo.countCpus(""));
        assertEquals("32K", HostInfo.formatSize(32 << 10));
        assertEquals("32M", HostInfo.formatSize(32L << 20));
        assertEquals("1536K", HostInfo.formatSize(1536 << 10));
        assertEquals("100", HostInfo.formatSize(100));
        assertEquals("avx512f", HostInfo.isa("fpu avx avx2 avx512f"));
        assertEquals("avx", HostInfo.isa("fpu avx"));
    }

    @Test
    void theRunningHostIsDescribed() {
        HostInfo h = HostInfo.current();
        assertTrue(h.cores() >= 1);
        assertTrue(h.describe().startsWith("host: "), h.describe());
    }
}
