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
            "");

    private Main() { }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        Interrupt.install();
        int rc = run(args, System.out, System.err);
        Interrupt.finished();
        System.exit(rc);
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
                default:
                    err.println("unseg: unknown command '" + args[0] + "'.");
                    err.print(USAGE);
                    return 2;
            }
        } catch (io.github.unseg.core.SegmentationException e) {
            err.println("unseg " + args[0] + ": " + e.getMessage());
            return 1;
        } catch (Args.UsageException e) {
            err.println("unseg " + args[0] + ": " + e.getMessage() + " ('unseg " + args[0] + " --help' lists the options.)");
            return 2;
        }
    }
}
