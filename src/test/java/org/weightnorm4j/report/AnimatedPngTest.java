package org.weightnorm4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The animated PNG: a plain PNG reader decodes its first frame pixel for pixel; the chunks are
 * well formed (lengths, CRCs), in APNG's order, with one frame control per frame and sequence
 * numbers 0, 1, 2, ...
 */
class AnimatedPngTest {

    @Test
    void firstFrameDecodesAndChunksFollowTheApngRules() throws Exception {
        int w = 7, h = 5, frames = 3;
        List<byte[]> fs = new ArrayList<>();
        for (int k = 0; k < frames; k++) {
            byte[] f = new byte[w * h];
            for (int i = 0; i < f.length; i++) {
                f[i] = (byte) ((i * 13 + k * 70) % 256);
            }
            fs.add(f);
        }
        byte[] png = AnimatedPng.gray(fs, w, h, 80, 1000);
        Headless.ensure();
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(w, img.getWidth());
        assertEquals(h, img.getHeight());
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                assertEquals(fs.get(0)[y * w + x] & 0xff, img.getRaster().getSample(x, y, 0), "pixel " + x + "," + y);
            }
        }
        ByteBuffer b = ByteBuffer.wrap(png);
        b.position(8);
        List<String> types = new ArrayList<>();
        List<Integer> sequence = new ArrayList<>();
        while (b.hasRemaining()) {
            int len = b.getInt();
            byte[] typeAndData = new byte[4 + len];
            b.get(typeAndData);
            CRC32 crc = new CRC32();
            crc.update(typeAndData);
            assertEquals((int) crc.getValue(), b.getInt(), "CRC");
            String type = new String(typeAndData, 0, 4, java.nio.charset.StandardCharsets.US_ASCII);
            types.add(type);
            if (type.equals("fcTL") || type.equals("fdAT")) {
                sequence.add(ByteBuffer.wrap(typeAndData, 4, 4).getInt());
            }
            if (type.equals("acTL")) {
                assertEquals(frames, ByteBuffer.wrap(typeAndData, 4, 4).getInt(), "frame count");
            }
        }
        assertEquals(List.of("IHDR", "acTL", "fcTL", "IDAT", "fcTL", "fdAT", "fcTL", "fdAT", "IEND"), types);
        assertEquals(List.of(0, 1, 2, 3, 4), sequence);
    }

    @Test
    void framesOfTheWrongSizeAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> AnimatedPng.gray(List.of(new byte[5]), 2, 2, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> AnimatedPng.gray(List.of(), 2, 2, 10, 10));
    }
}
