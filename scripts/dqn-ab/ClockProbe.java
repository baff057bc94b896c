import java.lang.management.*;
// Part of scripts/dqn-slow-mode.sh: the core clock this thread sees, from a dependent integer chain
// (a shift and an add per step: 2 cycles), timed by the thread's CPU time; 12 rounds of 2e7 steps, the
// first two dropped. A clock change (boost, throttling) shows here; cache or memory effects do not.
public class ClockProbe {
  public static void main(String[] a) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long x = System.nanoTime() | 1; double best = 0, sum = 0; int n = 0;
    for (int r = 0; r < 12; r++) {
      long t0 = mx.getCurrentThreadCpuTime();
      for (int i = 0; i < 20_000_000; i++) { x = x + (x >>> 7); }
      long t1 = mx.getCurrentThreadCpuTime();
      double ghz = 2.0 * 20_000_000 / (t1 - t0);
      if (r >= 2) { best = Math.max(best, ghz); sum += ghz; n++; }
    }
    System.out.printf("freq_ghz_mean %.3f best %.3f (%d)%n", sum / n, best, x & 1);
  }
}
