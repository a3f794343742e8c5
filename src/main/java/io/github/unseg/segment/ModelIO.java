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
import java.io.Reader;
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
        o.add("features", f);
        m.writeJson(o);
        return o;
    }

    public static String toJsonString(SegmentationModel m) { return GSON.toJson(toJson(m)); }

    /** Writes the model; refuses to replace an existing file unless overwrite is set. */
    public static void save(SegmentationModel m, Path file, boolean overwrite) throws IOException {
        if (!overwrite && Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString(), null, "exists; pass overwrite to replace it");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            GSON.toJson(toJson(m), w);
        }
    }

    public static SegmentationModel load(Path file) {
        JsonObject o;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            o = GSON.fromJson(r, JsonObject.class);
        } catch (NoSuchFileException e) {
            throw new SegmentationException("Model file not found: " + file + ".");
        } catch (IOException | JsonParseException e) {
            throw new SegmentationException("Cannot read the model file " + file + ": " + e.getMessage()
                    + ". Is it a model saved by UnSeg?");
        }
        if (o == null) throw new SegmentationException("The model file " + file + " is empty.");
        return fromJson(o, file.toString());
    }

    public static SegmentationModel fromJson(JsonObject o, String where) {
        try {
            if (!FORMAT.equals(str(o, "format"))) {
                throw new SegmentationException(where + " is not an UnSeg model (no \"format\": \"" + FORMAT + "\").");
            }
            int version = o.get("version").getAsInt();
            if (version > VERSION) {
                throw new SegmentationException(where + " was saved by a newer UnSeg (model version " + version
                        + "); update UnSeg to load it.");
            }
            JsonObject f = o.getAsJsonObject("features");
            FeatureScaler sc = new FeatureScaler(Normalization.parse(str(f, "normalization")),
                    vector(f.getAsJsonArray("offset")), vector(f.getAsJsonArray("scale")));
            FeatureSpec spec = new FeatureSpec(sc, f.get("coordinateWeight").getAsDouble(),
                    f.get("coordinateDims").getAsInt(), NanPolicy.parse(str(f, "nanPolicy")),
                    f.has("smoothing") ? f.get("smoothing").getAsDouble() : 0);
            String method = str(o, "method");
            switch (method) {
                case "kmeans": {
                    double[][] c = matrix(o.getAsJsonArray("centers"));
                    return new KMeansSegmenter.Model(spec, flatten(c), c.length, c[0].length);
                }
                case "gmm":
                    return new GmmSegmenter.Model(spec, readMixture(o));
                case "gmm-kmeans": {
                    double[][] c = matrix(o.getAsJsonArray("centers"));
                    return new GmmKMeansSegmenter.Model(spec, readMixture(o.getAsJsonObject("gmm")),
                            o.get("posteriorWeight").getAsDouble(), flatten(c), c.length);
                }
                case "cnn":
                    return io.github.unseg.cnn.CnnSegmenter.Model.read(o, spec);
                case "cnn-kmeans":
                    return io.github.unseg.cnn.CnnKMeansSegmenter.Model.readEnsemble(o, spec);
                default:
                    throw new SegmentationException(where + " holds a model of an unknown method '" + method + "'.");
            }
        } catch (NullPointerException | IllegalStateException | ClassCastException | UnsupportedOperationException e) {
            throw new SegmentationException(where + " is not a valid UnSeg model (a field is missing or malformed: "
                    + e.getMessage() + ").");
        }
    }

    static void writeMixture(GaussianMixture.Model g, JsonObject o) {
        o.addProperty("covarianceType", g.type.name().toLowerCase(Locale.ROOT));
        o.add("weights", vector(g.weights));
        o.add("means", matrix(g.means));
        o.add("covariances", matrix(g.covariances));
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

    static JsonArray matrix(double[][] m) {
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
