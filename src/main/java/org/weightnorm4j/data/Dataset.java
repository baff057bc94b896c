package org.weightnorm4j.data;

import java.util.Arrays;
import java.util.List;
import org.weightnorm4j.tensor.Tensor;

/**
 * One split of a labelled image dataset held in memory: images as a float32 NCHW tensor
 * {@code [N, C, H, W]}, labels {@code 0..classes-1}, and the class names.
 *
 * <p>The loaders scale pixels to [0, 1]; preprocessing ({@link ChannelNormalization},
 * {@link ZcaWhitening}) then works on the tensor in place.
 */
public final class Dataset {
    private final String name;
    private final Tensor images;
    private final int[] labels;
    private final List<String> classNames;

    /**
     * @throws IllegalArgumentException when the tensor is not 4-D float32, the label count differs
     *     from the image count, or a label is out of range
     */
    public Dataset(String name, Tensor images, int[] labels, List<String> classNames) {
        if (images.rank() != 4 || !images.isFloat32()) {
            throw new IllegalArgumentException("dataset '" + name + "': images must be a float32 [N, C, H, W] tensor, got "
                    + images);
        }
        if (images.dim(0) != labels.length) {
            throw new IllegalArgumentException("dataset '" + name + "': " + images.dim(0) + " images "
                    + Arrays.toString(images.shape()) + " but " + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new IllegalArgumentException("dataset '" + name + "': label " + labels[i] + " at index " + i
                        + " is outside 0.." + (classNames.size() - 1));
            }
        }
        this.name = name;
        this.images = images;
        this.labels = labels;
        this.classNames = List.copyOf(classNames);
    }

    /** A name for messages, e.g. "fashion-mnist/train". */
    public String name() {
        return name;
    }

    /** The images {@code [N, C, H, W]} (shared, not a copy: preprocessing edits it in place). */
    public Tensor images() {
        return images;
    }

    /** The labels (shared, not a copy). */
    public int[] labels() {
        return labels;
    }

    public List<String> classNames() {
        return classNames;
    }

    public int size() {
        return labels.length;
    }

    public int channels() {
        return images.dim(1);
    }

    public int height() {
        return images.dim(2);
    }

    public int width() {
        return images.dim(3);
    }

    public int classes() {
        return classNames.size();
    }

    /** Elements per image, {@code C*H*W}. */
    public int imageSize() {
        return images.sizeFrom(1);
    }

    /** The first {@code n} examples, copied (for quick runs and tests). */
    public Dataset head(int n) {
        if (n < 0 || n > size()) {
            throw new IllegalArgumentException("dataset '" + name + "' has " + size() + " examples; cannot take " + n);
        }
        float[] data = Arrays.copyOf(images.data(), n * imageSize());
        return new Dataset(name, Tensor.wrap(data, n, channels(), height(), width()), Arrays.copyOf(labels, n), classNames);
    }

    @Override
    public String toString() {
        return name + " " + Arrays.toString(images.shape()) + ", " + classes() + " classes";
    }
}
