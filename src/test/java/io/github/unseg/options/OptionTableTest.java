package io.github.unseg.options;

import io.github.unseg.cli.OptionHelp;
import io.github.unseg.eval.EvalOptions;
import io.github.unseg.ij.SegmentJob;
import io.github.unseg.ij.SegmentOptions;
import io.github.unseg.methods.Method;
import io.github.unseg.methods.Methods;
import io.github.unseg.segment.Segmenter;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The option table is the one definition: every entry lands somewhere, everywhere, as documented. */
class OptionTableTest {
    private static List<Option> all(Method m) {
        return Options.join(m.options, Options.OUTPUTS, Options.BATCHES, Options.EVALUATION, List.of(Options.MODEL, Methods.METHOD));
    }

    private static Object[] targets(Segmenter s) {
        SegmentJob job = new SegmentJob();
        return new Object[]{s, s.features(), job, job.instances, new EvalOptions()};
    }

    @Test
    void everyOptionSetsAFieldOfTheSameNameOrIsTheFrontEndsOwn() {
        for (Method m : Methods.ALL) {
            Object[] targets = targets(m.newSegmenter());
            for (Option o : all(m)) {
                if (o.isFrontEndOnly()) continue;
                boolean found = false;
                for (Object t : targets) found |= Settings.field(t.getClass(), o.name) != null;
                assertTrue(found, m.name + ": option " + o.name + " sets no field");
                // its default, typed as text, goes back into the field unchanged
                Object def = Settings.defaultOf(o, targets);
                assertNotNull(def, o.name);
                Settings set = new Settings(FrontEnd.CLI, all(m));
                set.put(FrontEnd.CLI.key(o.name), def.toString());
                Object[] fresh = targets(m.newSegmenter());
                int landed = 0;
                for (Object t : fresh) landed += set.applyTo(t);
                assertEquals(1, landed, o.name);
                if (o != Options.THREADS) assertEquals(def, Settings.defaultOf(o, fresh), m.name + " " + o.name + " round trip");
            }
        }
    }

    @Test
    void everyOptionIsInEveryFrontEndOrSaysWhyNot() {
        for (Method m : Methods.ALL) {
            for (Option o : all(m)) {
                boolean everywhere = o.in(FrontEnd.CLI) && o.in(FrontEnd.MACRO) && o.in(FrontEnd.MENU);
                assertTrue(everywhere || o.whyNotEverywhere() != null, o.name);
            }
        }
    }

    /** A recorded run() writes each parameter's name in lower case: call() takes exactly those keys. */
    @Test
    void macroKeysAreTheParameterNamesInLowerCase() {
        for (Method m : Methods.ALL) {
            Settings macro = SegmentOptions.settings(m, FrontEnd.MACRO);
            for (Option o : SegmentOptions.scope(m, FrontEnd.MENU)) {
                if (!o.in(FrontEnd.MACRO)) continue;
                assertEquals(o, macro.option(o.name.toLowerCase(Locale.ROOT)), m.name + " " + o.name);
            }
        }
    }

    @Test
    void defaultsComeFromTheAlgorithms() {
        assertEquals(3, SegmentOptions.defaultOf(Methods.KMEANS, Options.N_CLUSTERS));
        assertEquals(300, SegmentOptions.defaultOf(Methods.KMEANS, Options.MAX_ITERATIONS));
        assertEquals(100, SegmentOptions.defaultOf(Methods.GMM, Options.MAX_ITERATIONS));
        assertEquals(new io.github.unseg.cnn.CnnSegmenter().maxIterations, SegmentOptions.defaultOf(Methods.CNN, Options.MAX_ITERATIONS));
        assertEquals("one per cluster", SegmentOptions.defaultOf(Methods.CNN, Options.ROI_MODE));
        assertEquals("0.5", SegmentOptions.defaultOf(Methods.CNN, Options.THRESHOLDS));
    }

    @Test
    void messagesNameTheOptionAsTheUserSpeltIt() {
        Settings cli = SegmentOptions.settings(Methods.KMEANS, FrontEnd.CLI);
        Exception e = assertThrows(io.github.unseg.core.SegmentationException.class, () -> cli.put("clusters", "0"));
        assertTrue(e.getMessage().startsWith("--clusters 0 is out of range"), e.getMessage());
        e = assertThrows(io.github.unseg.core.SegmentationException.class, () -> cli.put("continuity-weight", "2"));
        assertEquals("--continuity-weight works with --method cnn or cnn-kmeans only.", e.getMessage());
        Settings macro = SegmentOptions.settings(Methods.CNN, FrontEnd.MACRO);
        e = assertThrows(io.github.unseg.core.SegmentationException.class, () -> macro.put("ninit", "2"));
        assertTrue(e.getMessage().contains("'ninit' works with method=kmeans, gmm-kmeans or cnn-kmeans only"), e.getMessage());
        Settings menu = new Settings(FrontEnd.MENU, Methods.CNN.options);
        e = assertThrows(io.github.unseg.core.SegmentationException.class, () -> menu.putValue("nChannels", 1));
        assertTrue(e.getMessage().startsWith("'Response channels' (nChannels) 1 is out of range"), e.getMessage());
        Settings twice = SegmentOptions.settings(Methods.KMEANS, FrontEnd.CLI);
        twice.put("clusters", "2");
        e = assertThrows(io.github.unseg.core.SegmentationException.class, () -> twice.put("n-clusters", "3"));
        assertTrue(e.getMessage().contains("are the same option"), e.getMessage());
        // A typo gets the nearest spelling of the same front end; an unrelated word gets none.
        e = assertThrows(io.github.unseg.core.SegmentationException.class, () -> macro.put("nchanels", "8"));
        assertTrue(e.getMessage().contains("Unknown option 'nchanels'. Did you mean nchannels?"), e.getMessage());
        Settings cli2 = SegmentOptions.settings(Methods.GMM, FrontEnd.CLI);
        e = assertThrows(io.github.unseg.core.SegmentationException.class, () -> cli2.put("covarience", "diag"));
        assertTrue(e.getMessage().contains("Did you mean --covariance?"), e.getMessage());
        e = assertThrows(io.github.unseg.core.SegmentationException.class, () -> cli2.put("colour", "1"));
        assertFalse(e.getMessage().contains("Did you mean"), e.getMessage());
    }

    /** The algorithms' messages name fields; each front end shows its own spelling, and nothing else changes. */
    @Test
    void algorithmMessagesAreRespeltForEachFrontEnd() {
        String m = "maxIterations must be at least 1; /data/maxIterations.tif, maxIterationsX and padding unchanged.";
        assertEquals("--max-iterations must be at least 1; /data/maxIterations.tif, maxIterationsX and padding unchanged.", FrontEnd.CLI.respell(m));
        assertEquals("maxiterations must be at least 1; /data/maxIterations.tif, maxIterationsX and padding unchanged.", FrontEnd.MACRO.respell(m));
        assertEquals("'Maximum iterations' (maxIterations) must be at least 1; /data/maxIterations.tif, maxIterationsX and padding unchanged.",
                FrontEnd.MENU.respell(m));
        // a name the message already spells the front end's way is left as it is
        String both = "Training slices (trainingSlices, --training-slices) need a stack.";
        assertEquals(both, FrontEnd.CLI.respell(both));
        assertEquals("a --n-clusters and a --merge-texture.", FrontEnd.CLI.respell("a nClusters and a mergeTexture."));
        assertTrue(Options.all().contains(Options.MERGE_TEXTURE) && Options.all().contains(Options.THRESHOLDS));
    }

    /** The README's option tables are the generated ones (scripts/unseg options --markdown). */
    @Test
    void readmeTablesAreGeneratedFromTheTable() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        String begin = "<!-- options:begin -->\n", end = "<!-- options:end -->";
        int a = readme.indexOf(begin), b = readme.indexOf(end);
        assertTrue(a >= 0 && b > a, "README has the options block");
        assertEquals(OptionHelp.markdown(), readme.substring(a + begin.length(), b),
                "README's option tables differ from the table: paste `scripts/unseg options --markdown` between the markers");
    }

    @Test
    void helpListsEveryCommandLineFlag() {
        List<String> missing = new ArrayList<>();
        java.io.ByteArrayOutputStream bo = new java.io.ByteArrayOutputStream();
        io.github.unseg.cli.Main.run(new String[]{"segment", "--help"}, new java.io.PrintStream(bo, true, StandardCharsets.UTF_8), System.err);
        String text = bo.toString(StandardCharsets.UTF_8);
        for (Method m : Methods.ALL) {
            for (Option o : SegmentOptions.scope(m, FrontEnd.CLI)) {
                if (!text.contains("--" + FrontEnd.CLI.key(o.name))) missing.add(o.name);
            }
        }
        assertTrue(missing.isEmpty(), "not in the help: " + missing);
    }
}
