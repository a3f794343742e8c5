package io.github.unseg.cli;

import java.io.PrintStream;
import java.util.Arrays;

/** UnSeg's command line: {@code unseg segment ...}. Run with -Djava.awt.headless=true. */
public final class Main {
    static final String USAGE = String.join("\n",
            "Usage: unseg <command> [options]",
            "",
            "Commands:",
            "  segment   label images: K-means, Gaussian mixture, GMM + K-means, unsupervised CNN, CNN + K-means",
            "  evaluate  compare label images with ground truth (IoU, Dice, PRI, VoI, covering, F1)",
            "  options   every option of every front end (--markdown: the README's tables)",
            "  help      this text; 'unseg segment --help' lists the options of segment",
            "  spark-segment  (scripts/unseg, from the spark/ module) one model over many files or one large image, on Spark",
            "");

    private Main() { }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        Interrupt.install();
        int rc = run(args, System.out, System.err);
        Interrupt.finished();
        System.exit(rc);
    }

    /**
     * Checks {@code segment}'s options (no inputs needed) as {@code run} would, before any work:
     * null when good, else the message in the user's spelling. For other drivers (the Spark module).
     */
    public static String checkSegment(String... segmentOptions) { return SegmentCli.check(segmentOptions); }

    /**
     * A job with {@code segment}'s options (no inputs or outputs), read as the command line reads
     * them, for programs that run a job on images they hold (the benchmarks): one parser, not a copy.
     */
    public static io.github.unseg.ij.SegmentJob segmentJob(String... segmentOptions) { return SegmentCli.job(segmentOptions); }

    /** The segment options a model fitted with them takes when labelling: the fitting options of method left out. */
    public static java.util.List<String> labellingArgs(String method, java.util.List<String> segmentOptions) {
        return SegmentCli.labellingArgs(method, segmentOptions);
    }

    /** Whether {@code --key} is a segment option: 0 no, 1 a flag, 2 takes a value. */
    public static int segmentOptionKind(String key) {
        return SegmentCli.isFlag(key) ? 1 : SegmentCli.isValued(key) ? 2 : 0;
    }

    /** Whether {@code --key} is an evaluation option (as {@code evaluate} takes): 0 no, 1 a flag, 2 takes a value. */
    public static int evaluationOptionKind(String key) {
        for (io.github.unseg.options.Option o : io.github.unseg.options.Options.EVALUATION) {
            if (o.keys(io.github.unseg.options.FrontEnd.CLI).contains(key)) return o.kind == io.github.unseg.options.Option.Kind.BOOLEAN ? 1 : 2;
        }
        return 0;
    }

    /**
     * The image files of files and folders as {@code segment} finds them (folders listed in name
     * order, UnSeg's own outputs left out), for other drivers.
     */
    public static java.util.List<java.io.File> imageFiles(java.util.List<String> paths) { return SegmentCli.expand(paths, true); }

    /**
     * {@code segment} with the model that {@code --model} names already loaded: a driver that
     * labels many files with one model (the Spark module's workers) loads it once, as a batch
     * does, instead of once per file. {@code model} must be the file's model; the {@code --model}
     * value then only names it (no file is read).
     */
    public static int segment(io.github.unseg.segment.SegmentationModel model, String[] segmentArgs, PrintStream out, PrintStream err) {
        try {
            SegmentCli cli = new SegmentCli(out, err);
            cli.preloaded = model;
            return cli.run(segmentArgs);
        } catch (io.github.unseg.core.SegmentationException e) {
            err.println("unseg segment: " + io.github.unseg.options.FrontEnd.CLI.respell(e.getMessage()));
            return 1;
        } catch (Args.UsageException e) {
            err.println("unseg segment: " + io.github.unseg.options.FrontEnd.CLI.respell(e.getMessage()) + " ('unseg segment --help' lists the options.)");
            return 2;
        }
    }

    /** Runs a command; returns the exit code (0 ok, 1 some inputs failed, 2 usage error). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (args[0]) {
                case "segment":
                    return new SegmentCli(out, err).run(rest);
                case "evaluate":
                    return new EvaluateCli(out, err).run(rest);
                case "options":
                    out.print(rest.length > 0 && rest[0].equals("--markdown") ? OptionHelp.markdown()
                            : SegmentCli.help(null));
                    return 0;
                case "spark-segment":
                    err.println("unseg: spark-segment is the Spark module's (spark/): run it as scripts/unseg spark-segment,"
                            + " or spark-submit its cluster jar (README, Spark).");
                    return 2;
                default:
                    err.println("unseg: unknown command '" + args[0] + "'.");
                    err.print(USAGE);
                    return 2;
            }
        } catch (io.github.unseg.core.SegmentationException e) {
            err.println("unseg " + args[0] + ": " + io.github.unseg.options.FrontEnd.CLI.respell(e.getMessage()));
            return 1;
        } catch (Args.UsageException e) {
            err.println("unseg " + args[0] + ": " + io.github.unseg.options.FrontEnd.CLI.respell(e.getMessage()) + " ('unseg " + args[0] + " --help' lists the options.)");
            return 2;
        }
    }
}
