// Reads MinAtar's published DQN learning curves off the README's figure, for docs/RL.md and
// experiments.MinAtarPublished. Run:
//   git -C MinAtar show 4241f24:img/learning_curves.gif > learning_curves.gif
//   java scripts/minatar_figure_read.java learning_curves.gif
// The figure (3038 x 1629 px) has five panels; the axis calibration below was found from the
// panels' tick marks (pixel column of x = 0 and pixels per million frames; pixel row of y = 0 and
// pixels per unit of return). The DQN curve is the dark blue one (RGB about 0, 114, 178); its value
// at a frame count is the mean row of its pixels within +-4 columns (+-0.03M frames) of it.
import java.awt.image.BufferedImage;
import java.io.File;
import javax.imageio.ImageIO;

public class minatar_figure_read {
    static boolean dqnBlue(int rgb) {
        int r = (rgb >> 16) & 255, g = (rgb >> 8) & 255, b = rgb & 255;
        return r < 40 && g > 80 && g < 150 && b > 150 && b < 220;
    }

    public static void main(String[] args) throws Exception {
        BufferedImage im = ImageIO.read(new File(args[0]));
        // game, x of 0 frames, px per 1M frames, y of return 0, px per unit return, top row of the panel
        Object[][] panels = {
                {"breakout", 1568, 139.4, 636, 23.33, 160}, {"seaquest", 614, 139.4, 623, 19.8, 160},
                {"asterix", 105, 139.6, 1406, 20.35, 940}, {"freeway", 1201, 139.6, 1397, 8.22, 940},
                {"space_invaders", 2294, 139.4, 1399, 2.215, 940}};
        double[] at = {0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 4.95};
        for (Object[] p : panels) {
            StringBuilder sb = new StringBuilder((String) p[0]);
            double x0 = ((Number) p[1]).doubleValue(), xs = (double) p[2], y0 = ((Number) p[3]).doubleValue(), ys = (double) p[4];
            for (double f : at) {
                int c = (int) Math.round(x0 + f * xs);
                double s = 0;
                int n = 0;
                for (int x = c - 4; x <= c + 4; x++) {
                    for (int y = (int) p[5]; y < y0 + 8; y++) {
                        if (dqnBlue(im.getRGB(x, y))) {
                            s += y;
                            n++;
                        }
                    }
                }
                sb.append(String.format("  %.2fM %s", f, n > 0 ? String.format("%.2f", (y0 - s / n) / ys) : "-"));
            }
            System.out.println(sb);
        }
    }
}
