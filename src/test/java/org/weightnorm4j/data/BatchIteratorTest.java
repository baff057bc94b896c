package org.weightnorm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.tensor.Tensor;

class BatchIteratorTest {
    /** n images of 1x2x2 whose pixels all equal the example's index; label = index mod 10. */
    private static Dataset indexed(int n) {
        float[] x = new float[n * 4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            Arrays.fill(x, i * 4, i * 4 + 4, i);
            labels[i] = i % 10;
        }
        return new Dataset("indexed", Tensor.wrap(x, n, 1, 2, 2), labels, KnownDataset.MNIST.classNames());
    }

    private static List<Integer> epoch(BatchIterator it, int e) {
        List<Integer> seen = new ArrayList<>();
        it.startEpoch(e);
        while (it.hasNext()) {
            BatchIterator.Batch b = it.next();
            for (int i = 0; i < b.size(); i++) {
                int idx = (int) b.images().data()[i * 4];
                assertEquals(idx % 10, b.labels()[i], "labels travel with their images");
                seen.add(idx);
            }
        }
        return seen;
    }

    @Test
    void keepVisitsEveryExampleExactlyOncePerEpoch() {
        BatchIterator it = new BatchIterator(indexed(23), 5, true, 42, BatchIterator.LastBatch.KEEP, Augmentation.NONE);
        assertEquals(5, it.stepsPerEpoch());
        for (int e = 0; e < 3; e++) {
            List<Integer> seen = epoch(it, e);
            assertEquals(23, seen.size());
            assertEquals(23, seen.stream().distinct().count());
        }
    }

    @Test
    void dropSkipsTheRemainderWithoutRepeats() {
        BatchIterator it = new BatchIterator(indexed(23), 5, true, 42, BatchIterator.LastBatch.DROP, Augmentation.NONE);
        assertEquals(4, it.stepsPerEpoch());
        List<Integer> seen = epoch(it, 0);
        assertEquals(20, seen.size());
        assertEquals(20, seen.stream().distinct().count());
        assertThrows(IllegalArgumentException.class,
                () -> new BatchIterator(indexed(3), 5, true, 1, BatchIterator.LastBatch.DROP, Augmentation.NONE));
    }

    @Test
    void orderDependsOnlyOnSeedAndEpoch() {
        Dataset d = indexed(50);
        BatchIterator a = new BatchIterator(d, 7, true, 1, BatchIterator.LastBatch.KEEP, Augmentation.NONE);
        BatchIterator b = new BatchIterator(d, 7, true, 1, BatchIterator.LastBatch.KEEP, Augmentation.NONE);
        BatchIterator c = new BatchIterator(d, 7, true, 2, BatchIterator.LastBatch.KEEP, Augmentation.NONE);
        assertEquals(epoch(a, 3), epoch(b, 3));
        assertFalse(epoch(a, 3).equals(epoch(c, 3)), "another seed gives another order");
        assertFalse(epoch(a, 3).equals(epoch(a, 4)), "another epoch gives another order");
        BatchIterator plain = new BatchIterator(d, 7, false, 1, BatchIterator.LastBatch.KEEP, Augmentation.NONE);
        List<Integer> inOrder = epoch(plain, 5);
        for (int i = 0; i < 50; i++) {
            assertEquals(i, inOrder.get(i));
        }
    }

    @Test
    void seekResumesExactlyIncludingAugmentation() {
        Dataset d = new Dataset("rand", Tensor.wrap(floats(40 * 16), 40, 1, 4, 4), new int[40], KnownDataset.MNIST.classNames());
        Augmentation aug = new Augmentation(true, 1);
        BatchIterator straight = new BatchIterator(d, 6, true, 9, BatchIterator.LastBatch.DROP, aug);
        List<float[]> reference = new ArrayList<>();
        for (int e = 0; e < 2; e++) {
            straight.startEpoch(e);
            while (straight.hasNext()) {
                reference.add(straight.next().images().data().clone());
            }
        }
        int steps = straight.stepsPerEpoch();
        BatchIterator resumed = new BatchIterator(d, 6, true, 9, BatchIterator.LastBatch.DROP, aug);
        resumed.seek(1, 2);
        for (int s = 2; s < steps; s++) {
            BatchIterator.Batch b = resumed.next();
            assertEquals(1, b.epoch());
            assertEquals(s, b.step());
            assertArrayEquals(reference.get(steps + s), b.images().data(), "epoch 1 step " + s);
        }
        assertFalse(resumed.hasNext());
    }

    @Test
    void batchesArePreallocatedAndPartialHasItsOwnShape() {
        BatchIterator it = new BatchIterator(indexed(11), 4, false, 0, BatchIterator.LastBatch.KEEP, Augmentation.NONE);
        it.startEpoch(0);
        BatchIterator.Batch first = it.next();
        Tensor t = first.images();
        assertSame(t, it.next().images());
        BatchIterator.Batch last = it.next();
        assertArrayEquals(new int[] {3, 1, 2, 2}, last.images().shape());
        assertEquals(3, last.size());
        assertEquals(10f, last.images().data()[8]);
        assertFalse(it.hasNext());
        assertThrows(java.util.NoSuchElementException.class, it::next);
        it.startEpoch(1);
        assertTrue(it.hasNext());
    }

    private static float[] floats(int n) {
        float[] x = new float[n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextDouble();
        }
        return x;
    }
}
