package org.weightnorm4j.train.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weightnorm4j.tensor.Tensor;

class SafeTensorsTest {
    @TempDir
    Path dir;

    private static Map<String, Tensor> sample() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("1.weight_g", Tensor.wrap(new float[] {1.5f, -2f, Float.MIN_VALUE}, 3, 1));
        m.put("1.weight_v", Tensor.wrap(new float[] {1, 2, 3, 4, 5, 6}, 3, 2));
        m.put("1.bias", Tensor.wrap(new float[] {0.25f, Float.MAX_VALUE, -0f}, 3));
        m.put("empty", Tensor.zeros(0, 4));
        return m;
    }

    @Test
    void roundTripKeepsNamesOrderShapesValuesAndMetadata() {
        Path f = dir.resolve("m.safetensors");
        SafeTensors.write(f, sample(), Map.of("format", "pt", "step", "12"));
        SafeTensors.Contents c = SafeTensors.read(f);
        assertEquals(sample().keySet().stream().toList(), c.tensors().keySet().stream().toList());
        for (Map.Entry<String, Tensor> e : sample().entrySet()) {
            Tensor t = c.tensors().get(e.getKey());
            assertArrayEquals(e.getValue().shape(), t.shape());
            assertArrayEquals(Arrays.copyOf(e.getValue().data(), e.getValue().size()), Arrays.copyOf(t.data(), t.size()));
        }
        assertEquals(Map.of("format", "pt", "step", "12"), c.metadata());
    }

    @Test
    void layoutIsTheSafetensorsSpec() throws IOException {
        Path f = dir.resolve("one.safetensors");
        SafeTensors.write(f, Map.of("w", Tensor.wrap(new float[] {1f, -2f}, 2)), Map.of());
        byte[] bytes = Files.readAllBytes(f);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = b.getLong();
        assertEquals(0, n % 8, "header padded to 8 bytes");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8).trim();
        assertEquals("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", header);
        b.position(8 + (int) n);
        assertEquals(1f, b.getFloat());
        assertEquals(-2f, b.getFloat());
        assertEquals(bytes.length, b.position());
    }

    private Path withHeader(String json, int dataBytes) throws IOException {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, b.array());
        return f;
    }

    private void assertRejected(Path f, String expectedFragment) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().contains(f.toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expectedFragment), "expected '" + expectedFragment + "' in: " + e.getMessage());
    }

    @Test
    void corruptHeadersAreRejectedWithTheFileAndTheProblem() throws IOException {
        assertRejected(withHeader("{\"w\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4), "dtype F16");
        assertRejected(withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,16]}}", 8), "fall outside");
        assertRejected(withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8), "needs 12 bytes");
        assertRejected(withHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "overlaps");
        assertRejected(withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "belong to no tensor");
        assertRejected(withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8), "cover 4");
        assertRejected(withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4), "non-negative");
        assertRejected(withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[65536,65536,65536],\"data_offsets\":[0,4]}}", 4), "too many");
        assertRejected(withHeader("{\"w\":", 0), "not valid JSON");
        assertRejected(withHeader("[1,2]", 0), "not an object");
        assertRejected(withHeader("{\"__metadata__\":{\"k\":3}}", 0), "not a string");
    }

    @Test
    void truncatedFilesAndHugeHeaderLengthsAreRejected() throws IOException {
        Path good = dir.resolve("m.safetensors");
        SafeTensors.write(good, sample(), Map.of());
        byte[] bytes = Files.readAllBytes(good);
        Path f = dir.resolve("cut.safetensors");
        Files.write(f, Arrays.copyOf(bytes, bytes.length - 3));
        assertRejected(f, "safetensors");
        Files.write(f, Arrays.copyOf(bytes, 5));
        assertRejected(f, "fewer than the 8-byte");
        byte[] huge = bytes.clone();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MAX_VALUE / 2);
        Files.write(f, huge);
        assertRejected(f, "truncated or not a safetensors file");
        CheckpointException missing = assertThrows(CheckpointException.class, () -> SafeTensors.read(dir.resolve("nope")));
        assertTrue(missing.getMessage().contains("does not exist"));
    }

    /** Random corruption: always either a clean read of the right size or a CheckpointException naming the file. */
    @RepeatedTest(200)
    void bitFlipsNeverCrashOrAllocateWildly(RepetitionInfo info) throws IOException {
        SplittableRandom r = new SplittableRandom(1234 + info.getCurrentRepetition());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SafeTensors.writeTo(out, sample(), Map.of("k", "v"));
        byte[] bytes = out.toByteArray();
        int flips = 1 + r.nextInt(4);
        for (int i = 0; i < flips; i++) {
            int at = r.nextInt(Math.min(bytes.length, r.nextBoolean() ? 16 : bytes.length));
            bytes[at] ^= (byte) (1 << r.nextInt(8));
        }
        if (r.nextInt(4) == 0) {
            bytes = Arrays.copyOf(bytes, r.nextInt(bytes.length));
        }
        Path f = dir.resolve("fuzz.safetensors");
        Files.write(f, bytes);
        try {
            SafeTensors.Contents c = SafeTensors.read(f);
            long total = 0;
            for (Tensor t : c.tensors().values()) {
                total += 4L * t.size();
            }
            assertTrue(total <= bytes.length, "read more data than the file holds");
        } catch (CheckpointException e) {
            assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        }
    }
}
