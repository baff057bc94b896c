package org.weightnorm4j.rl;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;

/**
 * Draws observations for people: one character per kind of object (ANSI-coloured if asked) or
 * coloured cells in an image. Where channels overlap, the later channel in MinAtar's order is
 * drawn, as MinAtar's own display does.
 */
public final class GameView {
    /** One character per channel, in channel order. */
    private static final Map<String, String> SYMBOLS = Map.of(
            "asterix", "@E-$",
            "breakout", "=o.#",
            "freeway", "@C12345",
            "seaquest", "Ss-.*FEODd",
            "space_invaders", "AW<>|!");
    /** ANSI foreground colours per channel. */
    private static final Map<String, int[]> ANSI = Map.of(
            "asterix", new int[] {93, 91, 90, 33},
            "breakout", new int[] {97, 93, 90, 36},
            "freeway", new int[] {93, 91, 90, 90, 90, 90, 90},
            "seaquest", new int[] {93, 33, 97, 90, 91, 35, 31, 36, 32, 92},
            "space_invaders", new int[] {92, 97, 95, 95, 93, 91});
    /** Image colours (RGB) for channel indices 0-9, the same for every game. */
    private static final int[] PALETTE = {0xF2E94E, 0xE4572E, 0x7F7F7F, 0x29B6F6, 0xFF3D7F, 0xAB47BC, 0xEF5350,
            0x26C6DA, 0x66BB6A, 0xFFFFFF};

    private final String game;
    private final List<String> channels;
    private final String symbols;
    private final int[] colours;

    public GameView(Environment env) {
        this.game = env.name();
        this.channels = env.channelNames();
        this.symbols = SYMBOLS.get(game);
        this.colours = ANSI.get(game);
        if (symbols == null || symbols.length() != channels.size()) {
            throw new IllegalArgumentException("no view for game " + game);
        }
    }

    /** The channel drawn in a cell: the last one set, or -1 for an empty cell. */
    public int topChannel(float[] obs, int row, int column) {
        for (int c = channels.size() - 1; c >= 0; c--) {
            if (obs[c * Environment.CELLS + row * Environment.SIZE + column] != 0f) {
                return c;
            }
        }
        return -1;
    }

    /** The grid in a box, ten lines of ten characters, with ANSI colours if {@code ansi}. */
    public String text(float[] obs, boolean ansi) {
        StringBuilder sb = new StringBuilder();
        sb.append('+').append("-".repeat(Environment.SIZE)).append("+\n");
        for (int row = 0; row < Environment.SIZE; row++) {
            sb.append('|');
            for (int column = 0; column < Environment.SIZE; column++) {
                int c = topChannel(obs, row, column);
                if (c < 0) {
                    sb.append(' ');
                } else if (ansi) {
                    sb.append("\033[").append(colours[c]).append('m').append(symbols.charAt(c)).append("\033[0m");
                } else {
                    sb.append(symbols.charAt(c));
                }
            }
            sb.append("|\n");
        }
        sb.append('+').append("-".repeat(Environment.SIZE)).append("+\n");
        return sb.toString();
    }

    /** What each character means, e.g. {@code = paddle  o ball ...}. */
    public String legend() {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < channels.size(); c++) {
            sb.append(c == 0 ? "" : "  ").append(symbols.charAt(c)).append(' ').append(channels.get(c));
        }
        return sb.toString();
    }

    /**
     * Frames side by side in rows of {@code perRow}, each cell {@code scale} pixels, frames one pixel
     * apart on a dark grey background, empty cells black.
     */
    public BufferedImage strip(List<float[]> frames, int scale, int perRow) {
        int n = frames.size();
        int columns = Math.max(1, Math.min(perRow, n));
        int rows = Math.max(1, (n + columns - 1) / columns);
        int side = Environment.SIZE * scale;
        BufferedImage img = new BufferedImage(columns * (side + 1) + 1, rows * (side + 1) + 1, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, 0x303030);
            }
        }
        for (int f = 0; f < n; f++) {
            paint(img, frames.get(f), 1 + (f % columns) * (side + 1), 1 + (f / columns) * (side + 1), scale);
        }
        return img;
    }

    /** One frame as an image of {@code 10*scale} pixels square. */
    public BufferedImage frame(float[] obs, int scale) {
        BufferedImage img = new BufferedImage(Environment.SIZE * scale, Environment.SIZE * scale,
                BufferedImage.TYPE_INT_RGB);
        paint(img, obs, 0, 0, scale);
        return img;
    }

    private void paint(BufferedImage img, float[] obs, int x0, int y0, int scale) {
        for (int row = 0; row < Environment.SIZE; row++) {
            for (int column = 0; column < Environment.SIZE; column++) {
                int c = topChannel(obs, row, column);
                int rgb = c < 0 ? 0x000000 : PALETTE[c];
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        img.setRGB(x0 + column * scale + dx, y0 + row * scale + dy, rgb);
                    }
                }
            }
        }
    }
}
