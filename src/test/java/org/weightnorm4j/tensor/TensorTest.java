package org.weightnorm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void zerosHasShapeAndSize() {
        Tensor t = Tensor.zeros(2, 3, 4);
        assertArrayEquals(new int[] {2, 3, 4}, t.shape());
        assertEquals(24, t.size());
        assertEquals(12, t.sizeFrom(1));
        assertEquals(4, t.dim(-1));
        assertEquals(DType.FLOAT32, t.dtype());
    }

    @Test
    void reshapeSharesData() {
        Tensor t = Tensor.zeros(2, 6);
        Tensor r = t.reshape(3, 4);
        r.set(5, 7.5);
        assertEquals(7.5, t.get(5));
    }

    @Test
    void reshapeToWrongSizeNamesBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 6).reshape(5, 2));
        assertTrue(e.getMessage().contains("[2, 6]") && e.getMessage().contains("[5, 2]"), e.getMessage());
    }

    @Test
    void requireShapeNamesBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(2, 3).requireShape("dense input", 2, 4));
        assertTrue(e.getMessage().contains("[2, 4]") && e.getMessage().contains("[2, 3]")
                && e.getMessage().contains("dense input"), e.getMessage());
    }

    @Test
    void conversionBetweenTypesKeepsValues() {
        Tensor t = Tensor.wrap(new float[] {1.5f, -2f, 3.25f}, 3);
        Tensor d = t.to(DType.FLOAT64);
        assertEquals(DType.FLOAT64, d.dtype());
        assertArrayEquals(new double[] {1.5, -2, 3.25}, d.data64());
        assertThrows(IllegalStateException.class, d::data);
    }

    @Test
    void rejectsNegativeAndHugeShapes() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, -1));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(1 << 16, 1 << 16));
    }

    @Test
    void matmulRejectsMismatchedInnerDimensionsNamingBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.matmul(Tensor.zeros(2, 3), false, Tensor.zeros(4, 5), false, Tensor.zeros(2, 5), false));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, 5]"), e.getMessage());
    }
}
