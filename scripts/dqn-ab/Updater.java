// Part of scripts/dqn-update-ab.sh: one jar's DQN agent behind a Runnable, loaded once per jar.
import org.weightnorm4j.rl.*;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.tensor.Parallel;
import java.util.function.LongSupplier;
public class Updater implements Runnable {
  final DqnAgent agent; final ReplayMemory.Minibatch[] mbs; int k;
  public Updater(String param, String opt, int batch, int threads) {
    Parallel.setThreads(threads);
    Parameterization p = Parameterization.parse(param);
    DqnConfig config = (opt.equals("adamax") ? DqnConfig.paperVariant(p).withLr(3e-4) : DqnConfig.baseline(p))
        .withBatch(batch).withSchedule(8192, batch, Integer.MAX_VALUE, 100_000);
    agent = new DqnAgent(config, 4, 1);
    SplitMix64 rng = new SplitMix64(100);
    float[] s = new float[400], s2 = new float[400];
    for (int k = 0; k < 8192; k++) {
      for (int i = 0; i < 400; i++) { s[i] = rng.nextLong() & 1; s2[i] = rng.nextLong() & 1; }
      agent.memory().add(s, rng.nextInt(6), rng.nextDouble() < 0.1 ? 1 : 0, s2, rng.nextDouble() < 0.05);
    }
    mbs = new ReplayMemory.Minibatch[16];
    for (int i = 0; i < mbs.length; i++) { mbs[i] = new ReplayMemory.Minibatch(batch, 4); agent.memory().sample(rng, mbs[i]); }
  }
  final float[] y = new float[64];
  public static String mode = System.getProperty("mode", "update");
  public void run() { if (mode.equals("targets")) agent.computeTargets(mbs[(k++) & 15], y); else if (mode.equals("opt")) agent.optimizer().step(); else agent.update(mbs[(k++) & 15]); }
}
