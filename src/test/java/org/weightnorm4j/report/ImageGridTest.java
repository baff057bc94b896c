package org.weightnorm4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The grid's geometry and pixel values, read back from the PNG. */
class ImageGridTest {
    @Test
    void pixelsLandInTheirCellsScaledAndClamped() throws Exception {
        // 3 images of 2×2 in 2 columns at scale 2: 2 rows of cells 5×5 (4 pixels + 1 gutter), plus the outer gutter.
        float[] px = {0, 1, 0.5f, 2, /* second */ 1, 1, 1, 1, /* third */ -1, 0, 0, 0};
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(ImageGrid.png(px, 3, 2, 2, 2, 2)));
        assertEquals(11, img.getWidth());
        assertEquals(11, img.getHeight());
        var r = img.getRaster();
        assertEquals(ImageGrid.GUTTER, r.getSample(0, 0, 0));
        assertEquals(0, r.getSample(1, 1, 0));                            // image 0, pixel (0, 0)
        assertEquals(255, r.getSample(4, 2, 0));                          // image 0, pixel (0, 1), second row of its block
        assertEquals(128, r.getSample(1, 3, 0));                          // 0.5
        assertEquals(255, r.getSample(4, 4, 0));                          // 2 clamped to 1
        assertEquals(ImageGrid.GUTTER, r.getSample(5, 1, 0));             // between images 0 and 1
        assertEquals(255, r.getSample(6, 1, 0));                          // image 1
        assertEquals(0, r.getSample(1, 6, 0));                            // image 2: −1 clamped to 0
        assertEquals(ImageGrid.GUTTER, r.getSample(6, 6, 0));             // the empty fourth cell
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.png(px, 4, 2, 2, 2, 2));
    }
}
