package io.github.unseg.methods;

import com.google.gson.JsonObject;
import io.github.unseg.cnn.CnnKMeansModel;
import io.github.unseg.cnn.CnnKMeansSegmenter;
import io.github.unseg.cnn.CnnModel;
import io.github.unseg.cnn.CnnSegmenter;
import io.github.unseg.core.SegmentationException;
import io.github.unseg.options.FrontEnd;
import io.github.unseg.options.Option;
import io.github.unseg.options.Settings;
import io.github.unseg.segment.GmmKMeansSegmenter;
import io.github.unseg.segment.GmmSegmenter;
import io.github.unseg.segment.KMeansSegmenter;
import io.github.unseg.segment.ModelIO;
import io.github.unseg.segment.SegmentationModel;
import io.github.unseg.segment.Segmenter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.github.unseg.options.Options.*;

/**
 * The method registry: the one list of methods, above the algorithm packages (segment, cnn),
 * which do not know each other. Front ends take a method's options, segmenter and model reader
 * from here.
 */
public final class Methods {
    private Methods() { }

    private static final List<Option> CNN_OPTIONS = join(of(PRESET, N_CHANNELS, N_CONV, MAX_ITERATIONS, MIN_LABELS, PATIENCE, MAX_SECONDS,
            SIMILARITY_WEIGHT, CONTINUITY_WEIGHT, LEARNING_RATE, MOMENTUM, TRAINING_PIXELS, PADDING, TILE_SIZE, VOLUMETRIC, Z_KERNEL,
            TRAINING_SLICES, SCRIBBLES, SCRIBBLE_WEIGHT, LIVE_PLOT), PREVIEWING);
    /**
     * The CNN's feature options: its input may be read on a log scale and shading-corrected (a 3x3
     * network cannot learn a ramp across the whole image), but it takes no filter stack, for it
     * learns its own filters.
     */
    private static final List<Option> SHADING = of(INTENSITY, BACKGROUND, BACKGROUND_SIGMA);

    public static final Method KMEANS = new Method("kmeans", List.of("k-means"), "K-means",
            "K-means on pixel features: each pixel gets its nearest centre", KMeansSegmenter::new, ModelIO::readKMeans,
            join(of(N_CLUSTERS, N_INIT, MAX_ITERATIONS, TOLERANCE, SAMPLE_SIZE, COORDINATE_WEIGHT), FEATURE_STACK, FEATURES, PREVIEWING));
    public static final Method GMM = new Method("gmm", List.of(), "Gaussian Mixture",
            "Gaussian mixture: each pixel gets its most probable component; probability maps", GmmSegmenter::new, ModelIO::readGmm,
            join(of(N_CLUSTERS, COVARIANCE, AUTO_CLUSTERS, MIN_CLUSTERS, MAX_CLUSTERS, MAX_ITERATIONS, TOLERANCE, REGULARIZATION,
                    SAMPLE_SIZE, COORDINATE_WEIGHT, PROBABILITY_MAPS, PROBABILITIES), FEATURE_STACK, FEATURES, PREVIEWING));
    public static final Method GMM_KMEANS = new Method("gmm-kmeans", List.of("gmm+kmeans"), "GMM + K-means",
            "K-means on the features joined with a Gaussian mixture's posteriors", GmmKMeansSegmenter::new, ModelIO::readGmmKMeans,
            join(of(N_CLUSTERS, GMM_COMPONENTS, POSTERIOR_WEIGHT, COVARIANCE, N_INIT, MAX_ITERATIONS, TOLERANCE, SAMPLE_SIZE,
                    COORDINATE_WEIGHT), FEATURE_STACK, FEATURES, PREVIEWING));
    public static final Method CNN = new Method("cnn", List.of(), "Unsupervised CNN",
            "Kanezaki's unsupervised CNN (TIP 2020), trained on the image itself", CnnSegmenter::new,
            (o, spec, n, where) -> CnnModel.read(o, spec), join(CNN_OPTIONS, of(MIN_REGION_SIZE, SPLIT_SCALE, MERGE_THRESHOLD, MERGE_TEXTURE, N_REGIONS), SHADING, FEATURES));
    public static final Method CNN_KMEANS = new Method("cnn-kmeans", List.of("cnn+kmeans"), "CNN + K-means",
            "the CNN's regions into nClusters labels by a Gaussian mixture of the pixels (or K-means)", CnnKMeansSegmenter::new,
            (o, spec, n, where) -> CnnKMeansModel.readEnsemble(o, spec),
            join(of(N_CLUSTERS, CLUSTER_ON, CLUSTER_WITH, N_INIT, SAMPLE_SIZE), CNN_OPTIONS, of(MIN_REGION_SIZE, MERGE_THRESHOLD, MERGE_TEXTURE), SHADING, FEATURES))
            .refusing(PRESET, "photo");   // its clustering merges the regions (CnnKMeansSegmenter.preset says so when typed)

    public static final List<Method> ALL = List.of(KMEANS, GMM, GMM_KMEANS, CNN, CNN_KMEANS);
    public static final List<String> NAMES = names();

    /** The method itself: one menu command per method, so only scripts name it. */
    public static final Option METHOD = Option.choice("method", "Method", "the segmentation method", NAMES.toArray(new String[0]))
            .valueAlias("k-means", "kmeans").valueAlias("gmm+kmeans", "gmm-kmeans").valueAlias("cnn+kmeans", "cnn-kmeans")
            .byDefault("kmeans").frontEndOnly().only("each method is its own menu command", FrontEnd.CLI, FrontEnd.MACRO);

    private static List<String> names() {
        List<String> n = new ArrayList<>();
        for (Method m : ALL) n.add(m.name);
        return List.copyOf(n);
    }

    /** The method of that name (or an accepted alias, any case). */
    public static Method get(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (Method m : ALL) if (m.name.equals(n) || m.aliases.contains(n)) return m;
        throw new SegmentationException("Unknown method '" + name + "': use one of " + String.join(", ", NAMES) + ".");
    }

    /** A segmenter of the named method at its defaults. */
    public static Segmenter create(String name) { return get(name).newSegmenter(); }

    /** Which methods take the option a key names, as "--method cnn or cnn-kmeans" (null: none). */
    public static String whoTakes(FrontEnd fe, String key) {
        List<String> names = new ArrayList<>();
        for (Method m : ALL) {
            Settings s = new Settings(fe, m.options);
            if (s.option(key) != null) names.add(m.name);
        }
        if (names.isEmpty()) return null;
        String joined = names.size() == 1 ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
        return (fe == FrontEnd.CLI ? "--method " : fe == FrontEnd.MACRO ? "method=" : "the method ") + joined;
    }

    /**
     * A segmenter of method m with the given settings: the values copied into its fields and its
     * features' fields, then the checks that involve more than one option, named as the user spelt them.
     */
    public static Segmenter configure(Method m, Settings s) {
        Segmenter seg = m.newSegmenter();
        if (seg instanceof CnnSegmenter) {
            CnnSegmenter cnn = (CnnSegmenter) seg;
            // object labels are microscopy's: there the photo settings' split would number regions, not classes
            cnn.preset(s.text("preset", "auto"), s.flag("objects"));
            // a menu shows every field, at its default unless the user changed it: those the preset sets
            Segmenter defaults = s.frontEnd == FrontEnd.MENU ? m.newSegmenter() : null;
            s.applyTo(seg, defaults);
            java.util.Set<String> chosen = new java.util.HashSet<>();
            for (Option o : m.options) if (s.chose(o.name, defaults)) chosen.add(o.name);
            cnn.chosen(chosen);
        } else {
            s.applyTo(seg);
        }
        s.applyTo(seg.features());
        check(m, seg, s);
        return seg;
    }

    private static void check(Method m, Segmenter seg, Settings s) {
        if (s.flag("volumetric") && s.flag("perSlice")) {
            throw new SegmentationException(s.spell("volumetric") + " and " + s.spell("perSlice") + " exclude each other: drop one.");
        }
        if (!s.text("zKernel", "1").equals("1") && !s.flag("volumetric")) {
            throw new SegmentationException(s.spell("zKernel") + " works with " + s.spell("volumetric") + " (true 3D) only.");
        }
        if (s.flag("volumetric") && s.has("trainingSlices") && !s.text("trainingSlices", "").isEmpty()) {
            throw new SegmentationException(s.spell("trainingSlices") + " and " + s.spell("volumetric")
                    + " exclude each other: the 3D CNN trains on the whole volume.");
        }
        // (a menu shows every field, so there clusterWith is simply unused with responses)
        if (s.frontEnd != FrontEnd.MENU && s.has("clusterWith") && s.text("clusterWith", "gmm").equals("gmm") && s.text("clusterOn", "regions").equals("responses")) {
            throw new SegmentationException(FrontEnd.withValue(s.spell("clusterWith"), "gmm") + " works with "
                    + FrontEnd.withValue(s.spell("clusterOn"), "regions") + "; the responses are clustered by K-means: drop one of the two.");
        }
        if (seg instanceof GmmSegmenter) {
            GmmSegmenter g = (GmmSegmenter) seg;
            if (g.autoClusters && g.minClusters > g.maxClusters) {
                throw new SegmentationException(FrontEnd.withValue(s.spell("minClusters"), g.minClusters) + " is above "
                        + FrontEnd.withValue(s.spell("maxClusters"), g.maxClusters) + ": the fewest clusters tried must not exceed the most.");
            }
        }
        if (s.has("sampleSize")) {
            int n = s.integer("sampleSize", 0), k = Math.max(2, s.integer("nClusters", 3));
            if (n != 0 && n < k * 10) {
                throw new SegmentationException(FrontEnd.withValue(s.spell("sampleSize"), n) + " is too small to fit " + k
                        + " clusters: use 0 (all pixels) or at least " + k * 10 + ".");
            }
        }
    }

    /** Loads a saved model of any method. */
    public static SegmentationModel load(Path file) {
        return fromJson(ModelIO.readFile(file), file.toString());
    }

    /** A saved model's JSON text, read as {@link #load} reads its file. */
    public static SegmentationModel fromText(String json, String where) {
        return fromJson(ModelIO.readText(json, where), where);
    }

    public static SegmentationModel fromJson(JsonObject o, String where) {
        return ModelIO.fromJson(o, where, name -> {
            for (Method m : ALL) if (m.name.equals(name)) return m.reader;
            return null;
        });
    }
}
