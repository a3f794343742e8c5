package io.github.unseg.segment;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.github.unseg.cluster.CovarianceType;
import io.github.unseg.cluster.GaussianMixture;
import io.github.unseg.core.FeatureScaler;
import io.github.unseg.core.FeatureSpec;
import io.github.unseg.core.NanPolicy;
import io.github.unseg.core.Normalization;
import io.github.unseg.core.SegmentationException;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Saves and loads fitted models as JSON: readable, diffable, and exact (doubles are written with
 * all their digits, so a reloaded model gives the same labels).
 */
public final class ModelIO {
    public static final String FORMAT = "unseg-model";
    public static final int VERSION = 1;
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    private ModelIO() { }

    public static JsonObject toJson(SegmentationModel m) {
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        o.addProperty("version", VERSION);
        o.addProperty("method", m.method());
        o.addProperty("nLabels", m.nLabels());
        FeatureSpec s = m.featureSpec();
        JsonObject f = new JsonObject();
        f.addProperty("normalization", s.scaler.normalization.label());
        f.add("offset", vector(s.scaler.offset));
        f.add("scale", vector(s.scaler.scale));
        f.addProperty("coordinateWeight", s.coordinateWeight);
        f.addProperty("coordinateDims", s.coordinateDims);
        f.addProperty("nanPolicy", s.nanPolicy.name().toLowerCase(Locale.ROOT));
        f.addProperty("smoothing", s.smoothing);
        if (s.stack.logLow != null) {
            // the log scale's channel ranges: new images are read on the fitted images' scale
            JsonObject in = new JsonObject();
            in.addProperty("scale", s.stack.intensity().label());
            in.add("low", vector(s.stack.logLow));
            in.add("high", vector(s.stack.logHigh));
            f.add("intensity", in);
        }
        if (!s.stack.isNone()) {
            // the stack's settings, so that a saved model computes the same features on new images
            JsonObject st = new JsonObject();
            st.addProperty("filters", s.stack.filterText());
            st.add("sigmas", vector(s.stack.sigmas));
            st.addProperty("background", s.stack.background.label());
            st.addProperty("backgroundSigma", s.stack.backgroundSigma);
            st.addProperty("volumetric", s.stack.volumetric);
            com.google.gson.JsonArray names = new com.google.gson.JsonArray();
            for (String n : s.stack.names(s.inputChannels())) names.add(n);
            st.add("channels", names);   // for the reader of the file: which column is which
            f.add("stack", st);
        }
        o.add("features", f);
        m.writeJson(o);
        return o;
    }

    public static String toJsonString(SegmentationModel m) { return GSON.toJson(toJson(m)); }

    /** Writes the model; refuses to replace an existing file unless overwrite is set. */
    public static void save(SegmentationModel m, Path file, boolean overwrite) throws IOException {
        String json = toJsonString(m);
        try (io.github.unseg.core.SafeOutput o = new io.github.unseg.core.SafeOutput(overwrite)) {
            o.writeString(file.toFile(), json);   // complete or absent: temporary file, then rename
        }
    }

    /** Reads one method's model from its JSON object (the features already read into spec). */
    public interface Reader {
        SegmentationModel read(JsonObject o, FeatureSpec spec, Integer nLabels, String where);
    }

    /** The JSON of a model file; errors say which file and what to do. */
    public static JsonObject readFile(Path file) {
        JsonObject o;
        try (java.io.Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            o = GSON.fromJson(r, JsonObject.class);
        } catch (NoSuchFileException e) {
            throw new SegmentationException("Model file not found: " + file + ".");
        } catch (IOException | JsonParseException e) {
            throw new SegmentationException("Cannot read the model file " + file + ": " + e.getMessage()
                    + ". Is it a model saved by UnSeg?");
        }
        if (o == null) throw new SegmentationException("The model file " + file + " is empty.");
        return o;
    }

    /** The JSON of a model held as text (a model sent to a cluster's workers); where names it in errors. */
    public static JsonObject readText(String json, String where) {
        JsonObject o;
        try {
            o = GSON.fromJson(json, JsonObject.class);
        } catch (JsonParseException e) {
            throw new SegmentationException("Cannot read " + where + ": " + e.getMessage() + ". Is it a model saved by UnSeg?");
        }
        if (o == null) throw new SegmentationException(where + " is empty.");
        return o;
    }

    /**
     * A model from its JSON: the shared header and features checked here, the method's own
     * fields by the reader the method registry gives for its name (null: unknown method).
     */
    public static SegmentationModel fromJson(JsonObject o, String where, java.util.function.Function<String, Reader> readers) {
        try {
            if (!FORMAT.equals(str(o, "format"))) {
                throw new SegmentationException(where + " is not an UnSeg model (no \"format\": \"" + FORMAT + "\").");
            }
            int version = o.get("version").getAsInt();
            if (version > VERSION) {
                throw new SegmentationException(where + " was saved by a newer UnSeg (model version " + version
                        + "); update UnSeg to load it.");
            }
            FeatureSpec spec = readFeatures(o, where);
            String method = str(o, "method");
            Integer nLabels = o.has("nLabels") ? o.get("nLabels").getAsInt() : null;
            Reader reader = method == null ? null : readers.apply(method);
            if (reader == null) throw new SegmentationException(where + " holds a model of an unknown method '" + method + "'.");
            return reader.read(o, spec, nLabels, where);
        } catch (NullPointerException | IllegalStateException | ClassCastException | UnsupportedOperationException
                 | IndexOutOfBoundsException | NumberFormatException e) {
            throw new SegmentationException(where + " is not a valid UnSeg model (a field is missing or malformed: "
                    + e.getMessage() + ").");
        }
    }

    private static FeatureSpec readFeatures(JsonObject o, String where) {
        JsonObject f = o.getAsJsonObject("features");
        require(f != null, where, "features", "is missing");
        double[] offset = finite(vector(f.getAsJsonArray("offset")), where, "features.offset");
        double[] scale = finite(vector(f.getAsJsonArray("scale")), where, "features.scale");
        require(scale.length >= 1, where, "features.scale", "is empty (one value per channel)");
        require(offset.length == scale.length, where, "features.offset",
                "has " + offset.length + " values but features.scale has " + scale.length);
        for (double v : scale) require(v != 0, where, "features.scale", "holds a 0");
        FeatureScaler sc = new FeatureScaler(Normalization.parse(str(f, "normalization")), offset, scale);
        io.github.unseg.core.FeatureStack stack = io.github.unseg.core.FeatureStack.NONE;
        if (f.has("stack")) {
            JsonObject st = f.getAsJsonObject("stack");
            try {
                stack = io.github.unseg.core.FeatureStack.of(str(st, "filters"), vector(st.getAsJsonArray("sigmas")),
                        io.github.unseg.core.FeatureStack.Background.parse(str(st, "background")),
                        st.get("backgroundSigma").getAsDouble(), st.get("volumetric").getAsBoolean());
            } catch (SegmentationException e) {
                throw new SegmentationException(where + ": features.stack is not valid (" + e.getMessage() + ")");
            }
            require(scale.length % stack.perChannel() == 0, where, "features.scale",
                    "has " + scale.length + " values, not a multiple of the stack's " + stack.perChannel() + " features per channel");
        }
        if (f.has("intensity")) {
            JsonObject in = f.getAsJsonObject("intensity");
            require(in != null && in.has("low") && in.has("high"), where, "features.intensity", "needs low and high (one value per channel)");
            double[] low = finite(vector(in.getAsJsonArray("low")), where, "features.intensity.low");
            double[] high = finite(vector(in.getAsJsonArray("high")), where, "features.intensity.high");
            require(low.length == high.length && low.length * stack.perChannel() == scale.length, where, "features.intensity",
                    "has " + low.length + " low and " + high.length + " high values for " + scale.length / stack.perChannel() + " channel(s)");
            stack = stack.withLog(low, high);
        }
        FeatureSpec spec = new FeatureSpec(sc, f.get("coordinateWeight").getAsDouble(),
                f.get("coordinateDims").getAsInt(), NanPolicy.parse(str(f, "nanPolicy")),
                f.has("smoothing") ? f.get("smoothing").getAsDouble() : 0, stack);
        require(spec.coordinateDims == 0 || spec.coordinateDims == 2 || spec.coordinateDims == 3, where,
                "features.coordinateDims", "must be 0, 2 or 3, not " + spec.coordinateDims);
        require(Double.isFinite(spec.coordinateWeight) && spec.coordinateWeight >= 0, where, "features.coordinateWeight", "must be >= 0");
        return spec;
    }

    /** K-means: centres of the features' dimension. */
    public static SegmentationModel readKMeans(JsonObject o, FeatureSpec spec, Integer nLabels, String where) {
        double[][] c = centers(o, "centers", spec.dims(), where);
        require(nLabels == null || nLabels == c.length, where, "nLabels", "is " + nLabels + " but there are " + c.length + " centres");
        return new KMeansSegmenter.Model(spec, flatten(c), c.length, c[0].length);
    }

    public static SegmentationModel readGmm(JsonObject o, FeatureSpec spec, Integer nLabels, String where) {
        GaussianMixture.Model g = readMixture(o, spec.dims(), where, "");
        require(nLabels == null || nLabels == g.weights.length, where, "nLabels", "is " + nLabels + " but there are "
                + g.weights.length + " components");
        return new GmmSegmenter.Model(spec, g);
    }

    public static SegmentationModel readGmmKMeans(JsonObject o, FeatureSpec spec, Integer nLabels, String where) {
        double[][] c = matrix(o.getAsJsonArray("centers"));
        require(c.length >= 1, where, "centers", "is empty");
        require(nLabels == null || nLabels == c.length, where, "nLabels", "is " + nLabels + " but there are " + c.length + " centres");
        for (double[] r : c) finite(r, where, "centers");
        return new GmmKMeansSegmenter.Model(spec, readMixture(o.getAsJsonObject("gmm"), spec.dims(), where, "gmm."),
                o.get("posteriorWeight").getAsDouble(), flatten(c), c.length);
    }

    public static void writeMixture(GaussianMixture.Model g, JsonObject o) {
        o.addProperty("covarianceType", g.type.name().toLowerCase(Locale.ROOT));
        o.add("weights", vector(g.weights));
        o.add("means", matrix(g.means));
        o.add("covariances", matrix(g.covariances));
    }

    private static void require(boolean ok, String where, String field, String problem) {
        if (!ok) throw new SegmentationException(where + " is not a valid UnSeg model: \"" + field + "\" " + problem + ".");
    }

    private static double[] finite(double[] v, String where, String field) {
        for (double x : v) require(Double.isFinite(x), where, field, "holds " + x + " (every value must be a finite number)");
        return v;
    }

    /** k >= 1 rows of exactly d finite values. */
    private static double[][] centers(JsonObject o, String field, int d, String where) {
        require(o.get(field) != null && o.get(field).isJsonArray(), where, field, "is missing");
        double[][] c = matrix(o.getAsJsonArray(field));
        require(c.length >= 1, where, field, "is empty (one centre per label)");
        for (int i = 0; i < c.length; i++) {
            require(c[i].length == d, where, field, "row " + (i + 1) + " has " + c[i].length + " values, but the features have " + d);
            finite(c[i], where, field);
        }
        return c;
    }

    public static GaussianMixture.Model readMixture(JsonObject o, int d, String where, String prefix) {
        require(o != null, where, prefix.isEmpty() ? "weights" : prefix.substring(0, prefix.length() - 1), "is missing");
        GaussianMixture.Model g = readMixture(o);
        int k = g.weights.length;
        require(k >= 1, where, prefix + "weights", "is empty");
        finite(g.weights, where, prefix + "weights");
        for (double w : g.weights) require(w >= 0, where, prefix + "weights", "holds a negative weight");
        require(g.means.length == k, where, prefix + "means", "has " + g.means.length + " rows for " + k + " weights");
        require(g.covariances.length == k, where, prefix + "covariances", "has " + g.covariances.length + " rows for " + k + " weights");
        int cov = g.type == CovarianceType.FULL ? d * d : d;
        for (int i = 0; i < k; i++) {
            require(g.means[i].length == d, where, prefix + "means", "row " + (i + 1) + " has " + g.means[i].length + " values, but the features have " + d);
            finite(g.means[i], where, prefix + "means");
            require(g.covariances[i].length == cov, where, prefix + "covariances", "row " + (i + 1) + " has " + g.covariances[i].length
                    + " values; want " + cov);
            finite(g.covariances[i], where, prefix + "covariances");
        }
        return g;
    }

    static GaussianMixture.Model readMixture(JsonObject o) {
        return new GaussianMixture.Model(CovarianceType.parse(str(o, "covarianceType")),
                vector(o.getAsJsonArray("weights")), matrix(o.getAsJsonArray("means")),
                matrix(o.getAsJsonArray("covariances")));
    }

    private static String str(JsonObject o, String k) {
        JsonElement e = o.get(k);
        return e == null ? null : e.getAsString();
    }

    static JsonArray vector(double[] v) {
        JsonArray a = new JsonArray();
        for (double x : v) a.add(x);
        return a;
    }

    public static JsonArray matrix(double[][] m) {
        JsonArray a = new JsonArray();
        for (double[] r : m) a.add(vector(r));
        return a;
    }

    static double[] vector(JsonArray a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = a.get(i).getAsDouble();
        return v;
    }

    static double[][] matrix(JsonArray a) {
        double[][] m = new double[a.size()][];
        for (int i = 0; i < m.length; i++) m[i] = vector(a.get(i).getAsJsonArray());
        return m;
    }

    static double[] flatten(double[][] m) {
        int d = m[0].length;
        double[] out = new double[m.length * d];
        for (int i = 0; i < m.length; i++) System.arraycopy(m[i], 0, out, i * d, d);
        return out;
    }
}
