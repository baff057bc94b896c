// Part of scripts/dqn-update-ab.sh (CLASS=Products): one jar's float32 GEMM on one of the DQN update's four dense
// products (the 1024 -> 128 hidden layer at a batch of `batch`) behind a Runnable, loaded once per jar.
//   fwd: u = x W^T (online forward; W^T laid out at every call)   tgt: the same with W^T packed once (target network)
//   bx:  dx = dy W (backward, input gradient)                       bw: dW += dy^T x (normal: into the gradient)
//   bwn: dW = dy^T x (wn: written, not added)
// and the convolution 4 -> 16 channels, 3x3, 10x10 -> 8x8 (tensor.RowConv): cf forward with bias, cg filter gradient
import org.weightnorm4j.tensor.*;
import java.util.SplittableRandom;
public class Products implements Runnable {
  final String what; final int m;
  final float[] x, w, u, dy, dx, gw; final PackedB wt = new PackedB();
  final Tensor cx, cw, cb, cy, cdw;
  public Products(String what, String unused, int batch, int threads) {
    Parallel.setThreads(threads);
    this.what = what; m = batch;
    SplittableRandom r = new SplittableRandom(7);
    x = fill(r, m * 1024); w = fill(r, 128 * 1024); dy = fill(r, m * 128);
    u = new float[m * 128]; dx = new float[m * 1024]; gw = new float[128 * 1024];
    Kernels.packB(true, 1024, 128, w, 0, 1024, wt);
    cx = Tensor.zeros(m, 4, 10, 10); cw = Tensor.zeros(16, 4, 3, 3); cb = Tensor.zeros(16); cy = Tensor.zeros(m, 16, 8, 8); cdw = Tensor.zeros(16, 4, 3, 3);
    for (int i = 0; i < cx.data().length; i++) cx.data()[i] = r.nextInt(2);
    for (float[] t : new float[][] {cw.data(), cb.data(), cy.data()}) for (int i = 0; i < t.length; i++) t[i] = (float) r.nextDouble(-1, 1);
  }
  static float[] fill(SplittableRandom r, int n) { float[] a = new float[n]; for (int i = 0; i < n; i++) a[i] = (float) r.nextDouble(-1, 1); return a; }
  public void run() {
    switch (what) {
      case "fwd" -> Kernels.gemm(false, true, m, 128, 1024, x, 0, 1024, w, 0, 1024, u, 0, 128, false);
      case "tgt" -> Kernels.gemmPackedB(false, m, x, 0, 1024, wt, u, 0, 128, false);
      case "bx" -> Kernels.gemm(false, false, m, 1024, 128, dy, 0, 128, w, 0, 1024, dx, 0, 1024, false);
      case "bw" -> { Kernels.gemm(true, false, 128, 1024, m, dy, 0, 128, x, 0, 1024, gw, 0, 1024, true); if (gw[0] > 1e6f || gw[0] < -1e6f) java.util.Arrays.fill(gw, 0f); }
      case "bwn" -> Kernels.gemm(true, false, 128, 1024, m, dy, 0, 128, x, 0, 1024, gw, 0, 1024, false);
      case "cf" -> Kernels.conv2dForward(cx, cw, cb, cy, ConvSpec.valid());
      case "cg" -> Kernels.conv2dBackwardFilter(cx, cy, cdw, ConvSpec.valid(), false);
      default -> throw new IllegalArgumentException(what);
    }
  }
}
