package org.weightnorm4j.train.checkpoint;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.weightnorm4j.io.AtomicFiles;
import org.weightnorm4j.tensor.Tensor;

/**
 * The <a href="https://github.com/huggingface/safetensors">safetensors</a> format, float32 only:
 * <pre>
 *   8 bytes      N, the header length, unsigned little-endian
 *   N bytes      JSON: {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...,
 *                       "__metadata__": {"key": "value", ...}}   (padded with spaces)
 *   rest         the tensors' bytes, little-endian float32, offsets relative to the end of the header
 * </pre>
 * PyTorch users read it with {@code safetensors.torch.load_file}, or by hand (docs/load_in_pytorch.py).
 *
 * <p>Reading trusts nothing: the header length against the file size, each offset pair against the
 * data size, {@code shape × 4 bytes} against each span, spans for overlap and holes, the dtype.
 * No allocation exceeds the file's size. Every error names the file.
 */
public final class SafeTensors {
    /** Largest header we accept; real headers are a few kilobytes. */
    static final long MAX_HEADER = 100L << 20;
    private static final String METADATA = "__metadata__";
    /**
     * Prefix of the metadata keys that hold each tensor's CRC32C ({@code "crc32c.1.weight_v": "0a1b2c3d"}):
     * in {@code __metadata__} they keep the file a plain safetensors file that PyTorch loads, and a
     * mismatch names the damaged tensor (docs/CHECKPOINTS.md, "Checksums").
     */
    public static final String CRC_PREFIX = "crc32c.";

    /** What a file holds: tensors in header order, and the free-form string metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    private SafeTensors() {
    }

    /** Writes float32 tensors and metadata to {@code file} atomically (see {@link AtomicFiles}). */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        try {
            AtomicFiles.write(file, out -> writeTo(out, tensors, metadata));
        } catch (IOException e) {
            throw CheckpointException.writing(file, e);
        }
    }

    /** Writes the format to a stream (for {@link AtomicFiles#writeTemp}), without checksums. */
    public static void writeTo(OutputStream rawOut, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        writeTo(rawOut, tensors, metadata, false);
    }

    /**
     * Writes the format to a stream; with {@code checksums}, {@code __metadata__} also records each
     * tensor's CRC32C under {@link #CRC_PREFIX}{@code name}, which {@link #read} verifies.
     */
    public static void writeTo(OutputStream rawOut, Map<String, Tensor> tensors, Map<String, String> metadata,
                               boolean checksums) throws IOException {
        if (checksums) {
            Map<String, String> withCrc = new LinkedHashMap<>(metadata);
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                withCrc.put(CRC_PREFIX + e.getKey(), crc32c(e.getValue()));
            }
            metadata = withCrc;
        }
        JsonObject header = new JsonObject();
        if (!metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            metadata.forEach(meta::addProperty);
            header.add(METADATA, meta);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().equals(METADATA)) {
                throw new IllegalArgumentException("a tensor cannot be called " + METADATA);
            }
            Tensor t = e.getValue();
            JsonObject entry = new JsonObject();
            entry.addProperty("dtype", "F32");
            JsonArray shape = new JsonArray();
            for (int d : t.shape()) {
                shape.add(d);
            }
            entry.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offset += 4L * t.size();
            offsets.add(offset);
            entry.add("data_offsets", offsets);
            header.add(e.getKey(), entry);
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        OutputStream out = new BufferedOutputStream(rawOut, 1 << 16);
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        out.write(len.array());
        out.write(json);
        for (int i = json.length; i < padded; i++) {
            out.write(' ');
        }
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (Tensor t : tensors.values()) {
            int n = t.size();
            for (int i = 0; i < n; i++) {
                if (buf.remaining() < 4) {
                    out.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
                buf.putFloat((float) t.get(i));
            }
        }
        out.write(buf.array(), 0, buf.position());
        out.flush();
    }

    /** The CRC32C of a tensor's bytes as written (little-endian float32), as 8 hex digits. */
    static String crc32c(Tensor t) {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        int n = t.size();
        for (int i = 0; i < n; i++) {
            if (buf.remaining() < 4) {
                crc.update(buf.flip());
                buf.clear();
            }
            buf.putFloat((float) t.get(i));
        }
        crc.update(buf.flip());
        return hex(crc.getValue());
    }

    private static String hex(long crc) {
        return String.format(java.util.Locale.ROOT, "%08x", crc);
    }

    /**
     * Reads and validates a file; every problem is a {@link CheckpointException} naming it. When the
     * metadata holds CRC32Cs ({@link #CRC_PREFIX}), every tensor must have one and match it.
     */
    public static Contents read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw bad(file, "the file has " + size + " bytes, fewer than the 8-byte header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, file);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen < 2 || headerLen > size - 8 || headerLen > MAX_HEADER) {
                throw bad(file, "the header claims " + Long.toUnsignedString(headerLen) + " bytes but the file has "
                        + (size - 8) + " bytes after the length field (truncated or not a safetensors file)");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            readFully(ch, headerBuf, 8, file);
            JsonObject header = parseHeader(file, headerBuf.array());
            long dataStart = 8 + headerLen;
            long dataSize = size - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = new ArrayList<>();
            for (Map.Entry<String, JsonElement> e : header.entrySet()) {
                if (e.getKey().equals(METADATA)) {
                    readMetadata(file, e.getValue(), metadata);
                } else {
                    entries.add(parseEntry(file, e.getKey(), e.getValue(), dataSize));
                }
            }
            checkCoverage(file, entries, dataSize);
            boolean checksummed = metadata.keySet().stream().anyMatch(k -> k.startsWith(CRC_PREFIX));
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry en : entries) {
                CRC32C crc = new CRC32C();
                tensors.put(en.name, readTensor(ch, file, en, dataStart, crc));
                if (checksummed) {
                    checkCrc(file, en.name, metadata.get(CRC_PREFIX + en.name), hex(crc.getValue()));
                }
            }
            if (checksummed) {
                for (String k : metadata.keySet()) {
                    if (k.startsWith(CRC_PREFIX) && !tensors.containsKey(k.substring(CRC_PREFIX.length()))) {
                        throw bad(file, "the header records a CRC32C for tensor '" + k.substring(CRC_PREFIX.length())
                                + "', which the file does not hold (the header is damaged)");
                    }
                }
            }
            return new Contents(tensors, metadata);
        } catch (NoSuchFileException e) {
            throw new CheckpointException("checkpoint file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private record Entry(String name, int[] shape, long begin, long end) {
    }

    private static JsonObject parseHeader(Path file, byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw bad(file, "the header is not valid UTF-8");
        }
        try {
            JsonElement root = JsonParser.parseString(text);
            if (!root.isJsonObject()) {
                throw bad(file, "the header is JSON but not an object");
            }
            return root.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw bad(file, "the header is not valid JSON (" + e.getMessage() + ")");
        }
    }

    private static void readMetadata(Path file, JsonElement value, Map<String, String> out) {
        if (!value.isJsonObject()) {
            throw bad(file, METADATA + " must be an object of strings");
        }
        for (Map.Entry<String, JsonElement> m : value.getAsJsonObject().entrySet()) {
            if (!(m.getValue() instanceof JsonPrimitive p) || !p.isString()) {
                throw bad(file, METADATA + " value '" + m.getKey() + "' is not a string");
            }
            out.put(m.getKey(), p.getAsString());
        }
    }

    private static Entry parseEntry(Path file, String name, JsonElement value, long dataSize) {
        if (!value.isJsonObject()) {
            throw bad(file, "tensor '" + name + "': header entry is not an object");
        }
        JsonObject o = value.getAsJsonObject();
        JsonElement dtype = o.get("dtype");
        if (!(dtype instanceof JsonPrimitive dp) || !dp.isString()) {
            throw bad(file, "tensor '" + name + "': missing dtype");
        }
        if (!dp.getAsString().equals("F32")) {
            throw bad(file, "tensor '" + name + "' has dtype " + dp.getAsString()
                    + "; weightnorm4j reads F32 only (convert the tensor to float32 before saving)");
        }
        long[] shapeL = longs(file, name, "shape", o.get("shape"), -1);
        long[] offsets = longs(file, name, "data_offsets", o.get("data_offsets"), 2);
        int[] shape = new int[shapeL.length];
        long elements = 1;
        for (int i = 0; i < shapeL.length; i++) {
            if (shapeL[i] > Integer.MAX_VALUE) {
                throw bad(file, "tensor '" + name + "': dimension " + shapeL[i] + " is too large");
            }
            shape[i] = (int) shapeL[i];
            elements = Math.multiplyHigh(elements, shapeL[i]) != 0 ? Long.MAX_VALUE : elements * shapeL[i];
            if (elements > Integer.MAX_VALUE - 8) {
                throw bad(file, "tensor '" + name + "': shape " + Arrays.toString(shape) + " has too many elements");
            }
        }
        long begin = offsets[0], end = offsets[1];
        if (begin > end || end > dataSize) {
            throw bad(file, "tensor '" + name + "': data_offsets [" + begin + ", " + end
                    + "] fall outside the " + dataSize + " data bytes (truncated file?)");
        }
        if (end - begin != 4 * elements) {
            throw bad(file, "tensor '" + name + "': shape " + Arrays.toString(shape) + " needs " + 4 * elements
                    + " bytes of F32 but data_offsets span " + (end - begin));
        }
        return new Entry(name, shape, begin, end);
    }

    private static long[] longs(Path file, String name, String field, JsonElement e, int expectedLength) {
        if (e == null || !e.isJsonArray()) {
            throw bad(file, "tensor '" + name + "': missing " + field + " array");
        }
        JsonArray a = e.getAsJsonArray();
        if (expectedLength >= 0 && a.size() != expectedLength) {
            throw bad(file, "tensor '" + name + "': " + field + " must have " + expectedLength + " entries, has " + a.size());
        }
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonElement x = a.get(i);
            if (!(x instanceof JsonPrimitive p) || !p.isNumber()) {
                throw bad(file, "tensor '" + name + "': " + field + " holds a non-number");
            }
            double d = p.getAsDouble();
            if (d < 0 || d != Math.floor(d) || d > 9.0e15) {
                throw bad(file, "tensor '" + name + "': " + field + " holds " + p.getAsString()
                        + ", not a non-negative integer");
            }
            out[i] = p.getAsLong();
        }
        return out;
    }

    /** The spans must tile the data section exactly: no overlap, no hole, nothing after the last. */
    private static void checkCoverage(Path file, List<Entry> entries, long dataSize) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        for (Entry e : sorted) {
            if (e.begin < expected) {
                throw bad(file, "tensor '" + e.name + "' overlaps another tensor (data_offsets start at "
                        + e.begin + ", previous tensor ends at " + expected + ")");
            }
            if (e.begin > expected) {
                throw bad(file, "bytes " + expected + " to " + e.begin + " of the data belong to no tensor");
            }
            expected = e.end;
        }
        if (expected != dataSize) {
            throw bad(file, "the data section has " + dataSize + " bytes but the tensors cover " + expected);
        }
    }

    private static void checkCrc(Path file, String name, String recorded, String actual) {
        if (recorded == null) {
            throw new CheckpointException("checkpoint file " + file + " is damaged: tensor '" + name
                    + "' has no CRC32C in the header although the others do (the header is damaged)");
        }
        if (!recorded.equals(actual)) {
            throw new CheckpointException("checkpoint file " + file + " is damaged: the bytes of tensor '" + name
                    + "' do not match the CRC32C recorded when it was written (recorded " + recorded + ", now "
                    + actual + "), so its values are not the ones that were saved");
        }
    }

    private static Tensor readTensor(FileChannel ch, Path file, Entry en, long dataStart, CRC32C crc) throws IOException {
        int n = (int) ((en.end - en.begin) / 4);
        float[] data = new float[n];
        ByteBuffer buf = ByteBuffer.allocate(Math.min(1 << 16, Math.max(4, n * 4))).order(ByteOrder.LITTLE_ENDIAN);
        long pos = dataStart + en.begin;
        int i = 0;
        while (i < n) {
            buf.clear();
            buf.limit(Math.min(buf.capacity(), (n - i) * 4));
            readFully(ch, buf, pos, file);
            pos += buf.limit();
            buf.flip();
            crc.update(buf.duplicate());
            while (buf.remaining() >= 4) {
                data[i++] = buf.getFloat();
            }
        }
        return Tensor.wrap(data, en.shape);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path file) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) {
                throw bad(file, "unexpected end of file at byte " + pos);
            }
            pos += r;
        }
    }

    private static CheckpointException bad(Path file, String problem) {
        return new CheckpointException("invalid safetensors file " + file + ": " + problem);
    }
}
