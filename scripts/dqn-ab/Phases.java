import org.weightnorm4j.rl.*;
import org.weightnorm4j.nn.*;
import org.weightnorm4j.norm.*;
import org.weightnorm4j.tensor.*;
import org.weightnorm4j.optim.*;
import java.lang.management.*;
import java.util.*;
// Part of scripts/dqn-phases.sh: the DQN update (DqnAgent.update at one thread) taken apart by hand,
// layer by layer, each phase timed by the thread's CPU time: zeroing, the target forward, each
// layer's forward, the Huber loss, each layer's backward (the first one parameters only), the
// gradient guard, the optimizer. The same calls in the same order as TrainStep.run, so the same work.
public class Phases {
  static ThreadMXBean mx = ManagementFactory.getThreadMXBean();
  static long t() { return mx.getCurrentThreadCpuTime(); }
  public static void main(String[] a) throws Exception {
    String param = a[0], opt = a[1]; int batch = Integer.parseInt(a[2]); int rounds = Integer.parseInt(a[3]);
    Parallel.setThreads(1);
    Parameterization p = Parameterization.parse(param);
    DqnConfig config = (opt.equals("adamax") ? DqnConfig.paperVariant(p).withLr(3e-4) : DqnConfig.baseline(p))
        .withBatch(batch).withSchedule(8192, batch, Integer.MAX_VALUE, 100_000);
    DqnAgent agent = new DqnAgent(config, 4, 1);
    SplitMix64 rng = new SplitMix64(100);
    float[] s = new float[400], s2 = new float[400];
    for (int k = 0; k < 8192; k++) {
      for (int i = 0; i < 400; i++) { s[i] = rng.nextLong() & 1; s2[i] = rng.nextLong() & 1; }
      agent.memory().add(s, rng.nextInt(6), rng.nextDouble() < 0.1 ? 1 : 0, s2, rng.nextDouble() < 0.05);
    }
    ReplayMemory.Minibatch[] mbs = new ReplayMemory.Minibatch[16];
    for (int i = 0; i < mbs.length; i++) { mbs[i] = new ReplayMemory.Minibatch(batch, 4); agent.memory().sample(rng, mbs[i]); }
    Sequential net = agent.online();
    List<Layer> layers = net.layers();
    int L = layers.size();
    HuberTdObjective obj = new HuberTdObjective();
    Optimizer o = agent.optimizer();
    List<Param> params = net.params();
    float[] y = new float[batch];
    String[] names = new String[2 * L + 5];
    long[][] acc = new long[names.length][];
    int per = 100;
    for (int i = 0; i < names.length; i++) acc[i] = new long[rounds];
    for (int r = -20; r < rounds; r++) {
      long[] tot = new long[names.length];
      for (int it = 0; it < per; it++) {
        ReplayMemory.Minibatch mb = mbs[it & 15];
        int c = 0; long t0 = t(), t1;
        for (Param q : params) q.zeroGrad();
        t1 = t(); tot[c] += t1 - t0; names[c++] = "zero"; t0 = t1;
        agent.computeTargets(mb, y);
        t1 = t(); tot[c] += t1 - t0; names[c++] = "target fwd"; t0 = t1;
        Tensor h = mb.states();
        for (int k = 0; k < L; k++) { h = layers.get(k).forward(h, Mode.TRAIN); t1 = t(); tot[c] += t1 - t0; names[c++] = "fwd " + k + " " + layers.get(k).describe(); t0 = t1; }
        obj.loss(h, new HuberTdObjective.TdTargets(mb.actions(), y));
        Tensor g = obj.gradient();
        t1 = t(); tot[c] += t1 - t0; names[c++] = "huber"; t0 = t1;
        for (int k = L - 1; k >= 0; k--) {
          Layer l = layers.get(k);
          if (k == 0) { l.backwardParamsOnly(g); } else { g = l.backward(g); }
          t1 = t(); tot[c] += t1 - t0; names[c++] = "bwd " + k + " " + l.describe(); t0 = t1;
        }
        for (Param q : params) Kernels.allFinite(q.grad());
        t1 = t(); tot[c] += t1 - t0; names[c++] = "finite"; t0 = t1;
        o.step();
        t1 = t(); tot[c] += t1 - t0; names[c++] = "optimizer"; t0 = t1;
      }
      if (r >= 0) for (int i = 0; i < names.length; i++) acc[i][r] = tot[i] / per;
    }
    long sum = 0;
    System.out.printf("%s %s %d, thread CPU ns/update, median (min) of %d rounds x %d%n", param, opt, batch, rounds, per);
    for (int i = 0; i < names.length; i++) { if (names[i] == null) continue; long[] v = acc[i].clone(); Arrays.sort(v); sum += v[v.length/2];
      System.out.printf("  %-45s %8.1f us (%7.1f)%n", names[i], v[v.length/2] / 1000.0, v[0] / 1000.0); }
    System.out.printf("  %-45s %8.1f us%n", "sum of medians", sum / 1000.0);
  }
}
