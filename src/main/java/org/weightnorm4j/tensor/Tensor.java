package org.weightnorm4j.tensor;

import java.util.Arrays;

/**
 * A dense, row-major tensor of float32 (or, for gradient checks, float64) values.
 *
 * <p>Images are stored NCHW: {@code [batch, channels, height, width]}. A tensor is a shape and a
 * flat array; it holds no math. Kernels live in {@link Kernels}. Shape checks throw
 * {@link IllegalArgumentException} with both shapes in the message.
 */
public final class Tensor {
    private final DType dtype;
    private final int[] shape;
    private final int size;
    private final float[] f32;
    private final double[] f64;

    private Tensor(DType dtype, int[] shape, float[] f32, double[] f64) {
        this.dtype = dtype;
        this.shape = shape.clone();
        this.size = sizeOf(this.shape);
        this.f32 = f32;
        this.f64 = f64;
        int length = f32 != null ? f32.length : f64.length;
        if (length < size) {
            throw new IllegalArgumentException(
                    "data of length " + length + " cannot hold shape " + Arrays.toString(shape) + " (" + size + " elements)");
        }
    }

    /** A float32 tensor of zeros. */
    public static Tensor zeros(int... shape) {
        return zeros(DType.FLOAT32, shape);
    }

    /** A tensor of zeros of the given type. */
    public static Tensor zeros(DType dtype, int... shape) {
        int n = sizeOf(shape);
        return dtype == DType.FLOAT32
                ? new Tensor(dtype, shape, new float[n], null)
                : new Tensor(dtype, shape, null, new double[n]);
    }

    /** Wraps (does not copy) a float array. */
    public static Tensor wrap(float[] data, int... shape) {
        return new Tensor(DType.FLOAT32, shape, data, null);
    }

    /** Wraps (does not copy) a double array. */
    public static Tensor wrap(double[] data, int... shape) {
        return new Tensor(DType.FLOAT64, shape, null, data);
    }

    /** A tensor of zeros with this tensor's type and shape. */
    public Tensor zerosLike() {
        return zeros(dtype, shape);
    }

    /** A tensor of zeros with this tensor's type and the given shape. */
    public Tensor zerosLike(int... newShape) {
        return zeros(dtype, newShape);
    }

    /** A deep copy. */
    public Tensor copy() {
        return f32 != null
                ? new Tensor(dtype, shape, Arrays.copyOf(f32, size), null)
                : new Tensor(dtype, shape, null, Arrays.copyOf(f64, size));
    }

    /** A copy converted to another element type. */
    public Tensor to(DType target) {
        Tensor out = zeros(target, shape);
        for (int i = 0; i < size; i++) {
            out.set(i, get(i));
        }
        return out;
    }

    /** A view of the same data under another shape with the same number of elements. */
    public Tensor reshape(int... newShape) {
        if (sizeOf(newShape) != size) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " (" + size
                    + " elements) to " + Arrays.toString(newShape) + " (" + sizeOf(newShape) + " elements)");
        }
        return new Tensor(dtype, newShape, f32, f64);
    }

    public DType dtype() {
        return dtype;
    }

    public boolean isFloat32() {
        return dtype == DType.FLOAT32;
    }

    public int rank() {
        return shape.length;
    }

    /** Size of dimension {@code axis}; negative axes count from the end. */
    public int dim(int axis) {
        return shape[axis < 0 ? shape.length + axis : axis];
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** Number of elements. */
    public int size() {
        return size;
    }

    /** Product of the dimensions from {@code axis} on (the row length when viewed as 2-D). */
    public int sizeFrom(int axis) {
        int n = 1;
        for (int i = axis; i < shape.length; i++) {
            n *= shape[i];
        }
        return n;
    }

    /** The float32 storage (its length may exceed {@link #size()}). */
    public float[] data() {
        if (f32 == null) {
            throw new IllegalStateException("tensor " + Arrays.toString(shape) + " is " + dtype + ", not FLOAT32");
        }
        return f32;
    }

    /** The float64 storage. */
    public double[] data64() {
        if (f64 == null) {
            throw new IllegalStateException("tensor " + Arrays.toString(shape) + " is " + dtype + ", not FLOAT64");
        }
        return f64;
    }

    /** Element at a flat index, widened to double. */
    public double get(int index) {
        return f32 != null ? f32[index] : f64[index];
    }

    /** Sets the element at a flat index (rounded to float for FLOAT32). */
    public void set(int index, double value) {
        if (f32 != null) {
            f32[index] = (float) value;
        } else {
            f64[index] = value;
        }
    }

    /** Sets every element to {@code value}. */
    public void fill(double value) {
        if (f32 != null) {
            Arrays.fill(f32, 0, size, (float) value);
        } else {
            Arrays.fill(f64, 0, size, value);
        }
    }

    /** Copies all elements of {@code src} (same shape) into this tensor. */
    public void copyFrom(Tensor src) {
        requireSameShape("copyFrom", src);
        if (f32 != null && src.f32 != null) {
            System.arraycopy(src.f32, 0, f32, 0, size);
        } else if (f64 != null && src.f64 != null) {
            System.arraycopy(src.f64, 0, f64, 0, size);
        } else {
            for (int i = 0; i < size; i++) {
                set(i, src.get(i));
            }
        }
    }

    /** True when the shapes are equal. */
    public boolean hasShape(int... expected) {
        return Arrays.equals(shape, expected);
    }

    /**
     * Throws unless this tensor has the expected shape.
     *
     * @param what names the tensor in the message, e.g. {@code "dense 'fc1' input"}
     */
    public Tensor requireShape(String what, int... expected) {
        if (!Arrays.equals(shape, expected)) {
            throw new IllegalArgumentException(
                    what + ": expected shape " + Arrays.toString(expected) + " but got " + Arrays.toString(shape));
        }
        return this;
    }

    /** Throws unless {@code other} has this tensor's shape. */
    public void requireSameShape(String op, Tensor other) {
        if (!Arrays.equals(shape, other.shape)) {
            throw new IllegalArgumentException(
                    op + ": shape mismatch " + Arrays.toString(shape) + " vs " + Arrays.toString(other.shape));
        }
    }

    /** Throws unless {@code other} has this tensor's element type. */
    public void requireSameType(String op, Tensor other) {
        if (dtype != other.dtype) {
            throw new IllegalArgumentException(op + ": element types differ, " + dtype + " vs " + other.dtype);
        }
    }

    /** Number of elements of a shape; rejects negative dimensions and overflow. */
    public static int sizeOf(int... shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has too many elements for one array");
            }
        }
        return (int) n;
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape) + "(" + dtype + ")";
    }
}
