// Part of scripts/dqn-update-ab.sh: loads each jar in its own class loader and alternates their updates.
import java.net.*; import java.nio.file.*; import java.lang.management.*; import java.util.*;
public class AB {
  public static void main(String[] a) throws Exception {
    String[] jars = a[0].split(",");
    String[] configs = a[1].split(";");   // param:opt:batch
    int rounds = Integer.parseInt(a[2]), per = Integer.parseInt(a[3]);
    int threads = a.length > 4 ? Integer.parseInt(a[4]) : 1;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (String cfg : configs) {
      String[] c = cfg.split(":");
      Runnable[] u = new Runnable[jars.length];
      for (int j = 0; j < jars.length; j++) {
        URLClassLoader l = new URLClassLoader(new URL[]{Paths.get(jars[j]).toUri().toURL(), Paths.get(System.getProperty("updater.dir")).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        u[j] = (Runnable) l.loadClass(System.getProperty("updater.class", "Updater")).getConstructor(String.class,String.class,int.class,int.class).newInstance(c[0], c[1], Integer.parseInt(c[2]), threads);
      }
      for (int w = 0; w < 600; w++) for (Runnable r : u) r.run();
      List<List<Double>> t = new ArrayList<>();
      for (int j = 0; j < jars.length; j++) t.add(new ArrayList<>());
      for (int r = 0; r < rounds; r++) for (int j0 = 0; j0 < jars.length; j0++) {
        int j = (j0 + r) % jars.length;
        for (int i = 0; i < per; i++) { long t0 = mx.getCurrentThreadCpuTime(); u[j].run(); t.get(j).add((mx.getCurrentThreadCpuTime() - t0) / 1e3); }
      }
      StringBuilder sb = new StringBuilder(cfg);
      double base = 0;
      for (int j = 0; j < jars.length; j++) { List<Double> x = t.get(j); Collections.sort(x); double med = x.get(x.size()/2);
        if (j == 0) base = med;
        sb.append(String.format("  [%s] median %.0f us (p10 %.0f) %.0f/s %s", Paths.get(jars[j]).getFileName(), med, x.get(x.size()/10), 1e6/med, j > 0 ? String.format("%.3fx", base/med) : "")); }
      System.out.println(sb);
    }
  }
}
