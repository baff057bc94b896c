#!/usr/bin/env bash
# Renders a weightnorm4j report in headless Chromium and checks that the page drew something.
#
#   scripts/check-report-render.sh REPORT_DIR [SCREENSHOT.png]
#
# REPORT_DIR holds report.html (as written by org.weightnorm4j.report.Report: the experiments'
# reports, or the page of 'weightnorm explain --report DIR'). The screenshot (default:
# REPORT_DIR/render-check.png, 1200 wide and RENDER_HEIGHT high, default 2000: the top of the page)
# is kept so a person can look at it; RENDER_HEIGHT=7000 takes in the explain page's figures. The page is loaded from file:// with every host name made unresolvable, so a page
# that needed the network would show it. Fails (exit 1) if Chromium writes no screenshot, or if
# the screenshot is blank (nearly one colour). Uses Debian's chromium; as root with apt-get it
# installs it when missing. Not run in CI: see docs/REPORTS.md.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 REPORT_DIR [SCREENSHOT.png]" >&2
  exit 2
fi
dir=$1
page="$dir/report.html"
if [ ! -f "$page" ]; then
  echo "no report.html in $dir: write a report there first (see docs/REPORTS.md)" >&2
  exit 1
fi
page=$(realpath "$page")
shot=$(realpath -m "${2:-$dir/render-check.png}")
height=${RENDER_HEIGHT:-2000}
case $height in
  ''|*[!0-9]*) echo "RENDER_HEIGHT must be a number of pixels, got '$height'" >&2; exit 2 ;;
esac

browser=${CHROMIUM:-chromium}
if ! command -v "$browser" >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's chromium ..." >&2
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null
  else
    echo "$browser not found: install Debian's chromium (apt-get install chromium) or set CHROMIUM" >&2
    exit 1
  fi
fi
if ! command -v java >/dev/null 2>&1; then
  echo "java not found: the blank-page check runs a few lines of Java" >&2
  exit 1
fi

profile=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$profile" "$log"' EXIT
rm -f "$shot"

timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --host-resolver-rules='MAP * ~NOTFOUND' --hide-scrollbars \
  --screenshot="$shot" --window-size=1200,"$height" "file://$page" >"$log" 2>&1 || {
  echo "chromium failed on $page; its output:" >&2
  cat "$log" >&2
  exit 1
}
if [ ! -s "$shot" ]; then
  echo "chromium wrote no screenshot for $page; its output:" >&2
  cat "$log" >&2
  exit 1
fi

# Blank check with the JDK's PNG decoder: count colours and non-white pixels on a grid.
checker=$(mktemp -d)/BlankCheck.java
cat >"$checker" <<'JAVA'
import java.awt.image.BufferedImage;
import java.io.File;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;

public class BlankCheck {
    public static void main(String[] args) throws Exception {
        BufferedImage img = ImageIO.read(new File(args[0]));
        if (img == null) {
            System.err.println("not a readable PNG: " + args[0]);
            System.exit(1);
        }
        Set<Integer> colours = new HashSet<>();
        long inked = 0, seen = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                seen++;
                if (rgb != 0xFFFFFF) {
                    inked++;
                }
            }
        }
        double share = 100.0 * inked / seen;
        System.out.printf("screenshot %dx%d: %d colours, %.1f%% of pixels not white%n",
                img.getWidth(), img.getHeight(), colours.size(), share);
        if (colours.size() < 16 || share < 1.0) {
            System.err.println("the screenshot is blank: the page did not render");
            System.exit(1);
        }
    }
}
JAVA
java -Djava.awt.headless=true "$checker" "$shot"
rm -rf "$(dirname "$checker")"
echo "rendered $page -> $shot"
