package org.weightnorm4j.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.weightnorm4j.data.DatasetLocator;
import org.weightnorm4j.data.FashionMnistFetcher;
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

    /** {@code weightnorm data fetch fashion-mnist}. */
    @Command(name = "fetch",
            mixinStandardHelpOptions = true,
            description = {"Download a dataset into the user cache (no root needed), verifying SHA-256 checksums.",
                    "Only fashion-mnist can be fetched: from Debian's dataset-fashion-mnist package where apt exists,"
                            + " else over HTTPS from the Fashion-MNIST project."})
    static final class Fetch implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DATASET", description = "The dataset: fashion-mnist.")
        String dataset;

        @Option(names = "--dest", paramLabel = "DIR",
                description = "Directory to put the files in (default: the user cache, ~/.cache/weightnorm4j/fashion-mnist"
                        + " or $XDG_CACHE_HOME/weightnorm4j/fashion-mnist).")
        Path dest;

        @Option(names = "--source", paramLabel = "auto|apt|http", defaultValue = "auto",
                description = "Where to get the files (default: ${DEFAULT-VALUE}: apt if available, else http).")
        String source;

        @Option(names = "--base-url", paramLabel = "URL",
                description = "HTTP(S) directory holding the .gz files (default: the system property "
                        + FashionMnistFetcher.BASE_URL_PROPERTY + ", else " + FashionMnistFetcher.DEFAULT_BASE_URL + ").")
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
            if (d != KnownDataset.FASHION_MNIST) {
                throw new CommandLine.ParameterException(cl, "only fashion-mnist can be fetched; for " + d.id()
                        + " put the files into " + DatasetLocator.standard(null).cacheDir(d) + " or pass --data DIR"
                        + " to the commands that read it (see docs/DATA.md)");
            }
            FashionMnistFetcher.Source src;
            try {
                src = FashionMnistFetcher.Source.valueOf(source.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, "--source must be auto, apt or http, got '" + source + "'");
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
            Path target = dest != null ? dest : DatasetLocator.standard(null).cacheDir(d);
            FashionMnistFetcher fetcher;
            try {
                fetcher = FashionMnistFetcher.standard(base, line -> {
                    out.println(line);
                    out.flush();
                });
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, "--base-url: " + e.getMessage());
            }
            Path done = fetcher.fetch(target, src);
            out.println(d.id() + " is ready in " + done);
            if (dest != null) {
                out.println("(outside the standard places: pass --data " + done + " or set " + DatasetLocator.ENV + ")");
            }
            return 0;
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
                out.println(d.id() + ": " + where);
                for (DatasetLocator.Probe p : locator.probe(d)) {
                    out.println("  " + p.describe());
                }
            }
            return 0;
        }
    }
}
