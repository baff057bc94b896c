package org.weightnorm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
    @TempDir
    Path tmp;

    @Test
    void loadsIdxSplitsScaledToUnitRange() throws Exception {
        Path dir = Fixtures.idxDataset(tmp, 7, 3, 4, 5, true, 40);
        DatasetSplits s = Datasets.loadFrom(KnownDataset.FASHION_MNIST, dir);
        assertArrayEquals(new int[] {7, 1, 4, 5}, s.train().images().shape());
        assertArrayEquals(new int[] {3, 1, 4, 5}, s.test().images().shape());
        byte[] raw = Fixtures.randomBytes(7 * 4 * 5, 40);
        for (int i = 0; i < raw.length; i++) {
            assertEquals((raw[i] & 0xff) / 255f, s.train().images().data()[i]);
        }
        byte[] labels = Fixtures.randomLabels(7, 10, 41);
        for (int i = 0; i < 7; i++) {
            assertEquals(labels[i], s.train().labels()[i]);
        }
        assertEquals("Ankle boot", s.train().classNames().get(9));
        assertEquals(dir, s.source());
    }

    @Test
    void rawFilesWorkToo() throws Exception {
        Path dir = Fixtures.idxDataset(tmp, 4, 2, 3, 3, false, 50);
        assertEquals(4, Datasets.loadFrom(KnownDataset.MNIST, dir).train().size());
    }

    @Test
    void imageAndLabelCountMismatchNamesBothFiles() throws Exception {
        Path dir = Fixtures.idxDataset(tmp, 5, 2, 3, 3, false, 60);
        Path labels = Fixtures.writeIdx(dir, KnownDataset.TRAIN_LABELS, new int[] {4}, new byte[] {1, 2, 3, 4}, false);
        DataFileException e = assertThrows(DataFileException.class, () -> Datasets.loadFrom(KnownDataset.MNIST, dir));
        assertTrue(e.getMessage().contains(dir.resolve(KnownDataset.TRAIN_IMAGES).toString())
                && e.getMessage().contains(labels.toString()) && e.getMessage().contains("5 images")
                && e.getMessage().contains("4 labels"), e.getMessage());
    }

    @Test
    void trainAndTestImageShapesMustAgree() {
        Path dir = Fixtures.idxDataset(tmp, 5, 2, 3, 3, false, 70);
        Fixtures.writeIdx(dir, KnownDataset.TEST_IMAGES, new int[] {2, 4, 4}, new byte[32], false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Datasets.loadFrom(KnownDataset.MNIST, dir));
        assertTrue(e.getMessage().contains("[5, 1, 3, 3]") && e.getMessage().contains("[2, 1, 4, 4]"), e.getMessage());
    }

    @Test
    void loadsCifarFromTheTarballSubfolder() throws Exception {
        Path sub = tmp.resolve(KnownDataset.CIFAR_SUBFOLDER);
        for (String name : KnownDataset.CIFAR10.requiredFiles()) {
            byte[] labels = Fixtures.randomLabels(2, 10, name.hashCode());
            Fixtures.write(sub.resolve(name), Fixtures.cifar(labels, Fixtures.randomBytes(2 * Cifar10Reader.PIXELS, name.hashCode())));
        }
        DatasetSplits s = Datasets.loadFrom(KnownDataset.CIFAR10, tmp);
        assertArrayEquals(new int[] {10, 3, 32, 32}, s.train().images().shape());
        assertArrayEquals(new int[] {2, 3, 32, 32}, s.test().images().shape());
        byte[] batch3 = Fixtures.randomBytes(2 * Cifar10Reader.PIXELS, "data_batch_3.bin".hashCode());
        assertEquals((batch3[5] & 0xff) / 255f, s.train().images().data()[4 * Cifar10Reader.PIXELS + 5]);
        assertEquals("truck", s.train().classNames().get(9));
    }

    @Test
    void directoryWithoutTheDatasetSaysWhatIsMissing() throws Exception {
        Files.createDirectories(tmp);
        DataFileException e = assertThrows(DataFileException.class, () -> Datasets.loadFrom(KnownDataset.CIFAR10, tmp));
        assertTrue(e.getMessage().contains("data_batch_1.bin") && e.getMessage().contains("test_batch.bin"), e.getMessage());
    }

    @Test
    void unknownDatasetNameListsKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KnownDataset.byId("imagenet"));
        assertTrue(e.getMessage().contains("fashion-mnist, mnist, cifar10"), e.getMessage());
        assertEquals(KnownDataset.CIFAR10, KnownDataset.byId("CIFAR-10"));
    }
}
