package io.github.unseg.options;

import io.github.unseg.cluster.Parallel;
import io.github.unseg.core.FeatureStack;
import io.github.unseg.core.Slices;
import io.github.unseg.eval.EvalOptions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static io.github.unseg.options.FrontEnd.CLI;
import static io.github.unseg.options.FrontEnd.MACRO;
import static io.github.unseg.options.FrontEnd.MENU;

/**
 * The option table: every setting a user can give, once. Which methods take which is said by the
 * method registry (package methods); the defaults are the algorithms' field
 * initialisers. The README's option tables are generated from here (a test keeps them equal).
 */
public final class Options {
    private Options() { }

    // --- Shared by the clustering methods (K-means, GMM, GMM + K-means) ---
    public static final Option N_CLUSTERS = Option.integer("nClusters", "Number of clusters", "number of labels").range(1, 65535)
            .alias("clusters");
    public static final Option N_INIT = Option.integer("nInit", "Restarts (nInit)", "K-means restarts; the lowest inertia is kept").range(1, 1000);
    public static final Option MAX_ITERATIONS = Option.integer("maxIterations", "Maximum iterations",
            "iterations of K-means / EM, or CNN training iterations").atLeast(1);
    public static final Option TOLERANCE = Option.number("tolerance", "Tolerance", "convergence tolerance of K-means (centre shift) / EM (log-likelihood)").atLeast(0);
    public static final Option SAMPLE_SIZE = Option.integer("sampleSize", "Fit on at most (pixels)",
            "fit on at most this many random pixels, 0 = all; every pixel is labelled").atLeast(0);
    public static final Option COORDINATE_WEIGHT = Option.number("coordinateWeight", "Coordinate weight",
            "weight of the x, y (, z) position as extra features; 0 = intensities only").atLeast(0);
    public static final Option COVARIANCE = Option.choice("covariance", "Covariance", "Gaussian covariance: full or diagonal", "full", "diag");
    public static final Option AUTO_CLUSTERS = Option.flag("autoClusters", "Choose the number of clusters by BIC",
            "try minClusters..maxClusters components and keep the lowest BIC (nClusters is then ignored)");
    public static final Option MIN_CLUSTERS = Option.integer("minClusters", "BIC: fewest clusters", "autoClusters: fewest components tried").range(1, 1000);
    public static final Option MAX_CLUSTERS = Option.integer("maxClusters", "BIC: most clusters", "autoClusters: most components tried").range(1, 1000);
    public static final Option REGULARIZATION = Option.number("regularization", "Covariance regularization",
            "added to the covariances' diagonal").atLeast(0);
    public static final Option GMM_COMPONENTS = Option.integer("gmmComponents", "Mixture components (0 = same)",
            "components of the mixture; 0 = nClusters").range(0, 65535);
    public static final Option POSTERIOR_WEIGHT = Option.number("posteriorWeight", "Posterior weight",
            "weight of the mixture's posteriors joined to the features").atLeast(0);

    // --- Pixel features, every method ---
    public static final Option NORMALIZATION = Option.choice("normalization", "Normalization", "per channel",
            "min-max", "z-score", "none").valueAlias("minmax", "min-max").valueAlias("zscore", "z-score");
    public static final Option SMOOTHING = Option.number("smoothing", "Smoothing (sigma, pixels)",
            "Gaussian smoothing of each channel first; 0 = none").range(0, 100);
    public static final Option NAN_POLICY = Option.choice("nanPolicy", "NaN pixels", "NaN pixels: label 0 (mask) or an error (reject)",
            "mask", "reject").alias("nan");
    public static final Option FILTERS = Option.text("filters", "Feature filters",
            "filter features joined to the intensities, per channel, at each of sigmas (Trainable Weka's names): gaussian,"
                    + " gradient, laplacian, dog, hessian (eigenvalues: tubeness), mean, variance; and line (a line detector for vessels,"
                    + " 4 sigma + 1 long); e.g. gaussian,hessian; empty = intensities only")
            .parser(FeatureStack::parseFilters).placeholder("LIST");
    public static final Option SIGMAS = Option.text("sigmas", "Filter scales (sigmas, pixels)",
            "the filters' scales, e.g. 1,2,4 (0.3 to 64, at most 8)").parser(FeatureStack::parseSigmas).placeholder("LIST");
    public static final Option INTENSITY = Option.choice("intensity", "Intensity scale",
            "the scale each channel is read on, first: linear, or log (ln(1 + 255 (v - min) / (max - min)), min and max"
                    + " over the image(s) fitted on, kept in a saved model): objects a few grey levels above a black background and"
                    + " objects at the top of the range both stand clear of it (fluorescence of dim and bright cells)",
            "linear", "log");
    public static final Option BACKGROUND = Option.choice("background", "Background correction",
            "shading correction of each plane, before smoothing and filters: subtract or divide by its Gaussian-blurred copy"
                    + " (sigma backgroundSigma; subtract for fluorescence, divide for brightfield, fundus), or opening: subtract"
                    + " its grey opening (the idea of ImageJ's rolling ball: bright objects narrower than 2 x backgroundSigma"
                    + " are not part of the background, so large ones keep their full height); none = off",
            "none", "subtract", "divide", "opening");
    public static final Option BACKGROUND_SIGMA = Option.number("backgroundSigma", "Background sigma (pixels)",
            "scale of the background: wider than the objects (for opening: the radius, larger than the objects' radius)").range(1, 1000);
    public static final Option SEED = Option.longInt("seed", "Random seed", "same image + same seed = same labels");
    public static final Option THREADS = Option.integer("threads", "Threads (0 = all cores)", "worker threads; 0 = all cores")
            .range(0, Math.max(64, 4 * Runtime.getRuntime().availableProcessors())).byDefault(0)
            .toField(v -> ((Number) v).intValue() == 0 ? Parallel.defaultThreads() : v);

    // --- The unsupervised CNN ---
    public static final Option N_CHANNELS = Option.integer("nChannels", "Response channels", "C of the network (reference: 100; fewer is faster)")
            .range(2, 1024).alias("channels");
    public static final Option N_CONV = Option.integer("nConv", "Conv3x3 blocks", "conv3x3 blocks (reference: 2)").range(1, 64).alias("nconv");
    public static final Option MIN_LABELS = Option.integer("minLabels", "Stop at this many labels", "training stops at this many labels or fewer")
            .range(1, 65535);
    public static final Option SIMILARITY_WEIGHT = Option.number("similarityWeight", "Similarity weight", "weight of the cross-entropy to the pseudo-labels").atLeast(0);
    public static final Option CONTINUITY_WEIGHT = Option.number("continuityWeight", "Continuity weight",
            "weight of the spatial continuity loss; higher: smoother, fewer labels").atLeast(0);
    public static final Option LEARNING_RATE = Option.number("learningRate", "Learning rate", "SGD learning rate").positive(100);
    public static final Option MOMENTUM = Option.number("momentum", "Momentum", "SGD momentum").range(0, 0.999);
    public static final Option TRAINING_PIXELS = Option.integer("trainingPixels", "Train on at most (pixels)",
            "larger planes are trained on a downscaled copy (at most 4x smaller; past that, on tiles of it); 0 = never").atLeast(0);
    public static final Option TILE_SIZE = Option.integer("tileSize", "Tile size (pixels)", "labelling tile side; results do not depend on it")
            .range(64, 65536);
    public static final Option VOLUMETRIC = Option.flag("volumetric", "True 3D (stacks)",
            "the whole volume at once: convolutions, BatchNorm and continuity along z (z weight from the calibration)").alias("3d");
    public static final Option Z_KERNEL = Option.choice("zKernel", "3D kernel depth",
            "volumetric: 3x3x1 (1) or 3x3x3 (3) convolutions; 3 loses objects a few slices thick", "1", "3").parser(Integer::valueOf);
    public static final Option TRAINING_SLICES = Option.text("trainingSlices", "Training slices (stacks)",
            "e.g. 1,10,20 or 5-7: train on these slices, label all; empty = the middle slice").parser(Slices::parse)
            .placeholder("LIST");
    public static final Option SCRIBBLES = Option.text("scribbles", "Scribbles (class hints)",
            "none, roimanager (the ROI Manager's ROIs; a ROI's group is its class), or a label image / ROI set (.zip) file")
            .byDefault("none").frontEndOnly().placeholder("none|roimanager|FILE");
    public static final Option PRESET = Option.choice("preset", "Preset",
            "auto: photo for a colour photo (one 2D plane, RGB, all three channels in use, not dark-field, its colour not a function of brightness, as a tinted or LUT-coloured grey image's is) with method cnn and no objects, microscopy"
                    + " otherwise; microscopy (older spelling: default): fast settings that keep small objects; photo (method cnn only;"
                    + " CNN + K-means refuses it): the microscopy settings with 3 conv blocks, splitScale 1000, minRegionSize 300,"
                    + " mergeThreshold 0.03 and mergeTexture 0.75, better on"
                    + " natural images (BSDS) and worse on small objects; tip2020: the reference's (Kim, Kanezaki and Tanaka 2020: 100"
                    + " channels, up to 1000 iterations at full resolution, zero padding, no early stop, no region merging) for parity"
                    + " runs; options given as well override the preset", "auto", "microscopy", "photo", "tip2020")
            .valueAlias("default", "microscopy").byDefault("auto").frontEndOnly();
    public static final Option PADDING = Option.choice("padding", "Image edges (2D)",
            "edge: convolutions see the edge pixels repeated (no border labels); zeros: the reference's zero padding", "edge", "zeros");
    public static final Option PATIENCE = Option.integer("patience", "Stop after iterations without progress",
            "stop when for this many iterations the label count did not fall and the loss did not improve by 1 %; 0 = never").atLeast(0);
    public static final Option MAX_SECONDS = Option.number("maxSeconds", "Time budget (s, 0 = none)",
            "end the training after this many seconds and label with the network reached so far; 0 = no limit").atLeast(0);
    public static final Option MIN_REGION_SIZE = Option.integer("minRegionSize", "Merge regions below (pixels)",
            "connected regions smaller than this merge into their most similar neighbour (by mean colour); 0 = keep all").atLeast(0);
    public static final Option MERGE_THRESHOLD = Option.number("mergeThreshold", "Merge regions with boundary contrast below",
            "then merge adjacent regions whose boundary is weak: mean feature difference across it (features in [0, 1] per channel) below this; 0 = off").atLeast(0);
    public static final Option SPLIT_SCALE = Option.number("splitScale", "Split regions along image edges (scale)",
            "before merging: split each region along a graph-based segmentation of the image (Felzenszwalb-Huttenlocher, scale as"
                    + " scikit-image's felzenszwalb: larger, fewer cuts; e.g. 1000; its segments under minRegionSize join a neighbour),"
                    + " so that touching objects the network labelled alike part; the labels then number regions 1..n, not the network's classes; 0 = off").atLeast(0);
    public static final Option MERGE_TEXTURE = Option.number("mergeTexture", "Allow for texture in merging",
            "with mergeThreshold: a boundary also merges below mergeThreshold + this x the smoother region's own contrast (the same"
                    + " mean over its inner pixel pairs), so that a texture's pieces (grass, foliage) merge while an edge between smooth"
                    + " regions stays; 0 = off").atLeast(0);
    public static final Option CLUSTER_ON = Option.choice("clusterOn", "K-means clusters",
            "regions: the CNN's regions by their mean intensities (colours), weighted by size; responses: every pixel's CNN responses",
            "regions", "responses");
    public static final Option CLUSTER_WITH = Option.choice("clusterWith", "Regions clustered by",
            "clusterOn regions: gmm: a Gaussian mixture fitted on the pixels splits the CNN's regions and gives each its most probable component; kmeans: K-means on the regions' means",
            "gmm", "kmeans");
    public static final Option N_REGIONS = Option.integer("nRegions", "Merge to at most this many regions (0 = off)",
            "then merge the most similar adjacent regions until this many remain, each its own label; 0 = keep the CNN's labels")
            .range(0, 65535);
    public static final Option LIVE_PLOT = Option.flag("livePlot", "Live plot of labels and loss", "a plot window of labels and loss per iteration")
            .byDefault(false).frontEndOnly().only("a plot is a window: the command line and macros show progress lines", MENU);
    public static final Option SCRIBBLE_WEIGHT = Option.number("scribbleWeight", "Scribble weight", "weight of the hints' loss (reference: 0.5)").atLeast(0);

    // --- Outputs of a segmentation ---
    public static final Option PER_SLICE = Option.flag("perSlice", "Each slice separately", "fit one model per slice of a stack");
    public static final Option USE_CHANNELS = Option.text("useChannels", "Segment on channels (empty = all)",
            "the image's channels the method sees, e.g. 1 or 1,3 (1 = the first; RGB: 1 red, 2 green, 3 blue), so that a"
                    + " two-colour image is segmented on its nuclei's channel; give the same with a saved model; measurements"
                    + " still report every channel; empty = all").parser(io.github.unseg.core.Slices::parseChannels).placeholder("LIST");
    public static final Option MASK = Option.text("mask", "Mask (0 = leave out)",
            "none, or a mask of the image's width and height (an image file or an open image's title: its pixels at 0 are left out;"
                    + " a .zip / .roi ROI set: all but its ROIs are left out), one plane for every slice and frame, or a folder of masks"
                    + " matched by the image's name (NAME.*, NAME_mask.* or NAME_*.*: each image its own), or selection (the image's area"
                    + " selection) or roimanager (the ROI Manager's areas): left-out pixels get label 0"
                    + " and take no part in fitting, as NaN pixels do, and are no edge to the filters (a fundus image's black surround)")
            .byDefault("none").frontEndOnly().placeholder("none|FILE|DIR|selection|roimanager");
    public static final Option MASK_PADDING = Option.flag("maskPadding", "Mask padding (constant bands at the edges)",
            "one value along the image's edges, per plane, in whole rows and columns (a registration's or drift correction's"
                    + " shift, a stitching, a letterbox), in two corners or more cut by a straight oblique line (a rigid-body"
                    + " registration's rotation) or in runs of the bands' value in from an edge cut along the axes (a stitching's"
                    + " notches and gaps), is left out as masked pixels are (label 0, no part in fitting, no edge to the filters): one value over a band"
                    + " would take a cluster of its own, and the background the objects' rule");
    public static final Option CLIP_OUTLIERS = Option.flag("clipOutliers", "Clip outlier pixels (hot, dead)",
            "specks of fewer than 10 pixels more than twice a channel's 0.1-99.9 percentile range beyond it (hot or dead"
                    + " pixels, cosmic rays; a cell is larger) read as that percentile for the segmentation (the measurements keep"
                    + " their values): a few such pixels would take a cluster of their own and squeeze the rest into a sliver of"
                    + " the normalised range");
    public static final Option ROI_MODE = Option.choice("roiMode", "ROIs", "one ROI per cluster, or per connected object",
            "none", "one per cluster", "one per object").valueAlias("cluster", "one per cluster").valueAlias("object", "one per object")
            .valueAlias("label", "one per cluster");
    public static final Option OBJECTS = Option.flag("objects", "Object labels (one per object)",
            "the label image holds objects, 1..n, background 0: the foreground clusters, holes filled (fillHoles),"
                    + " touching objects split (seedDistance), objects below minObjectSize dropped");
    public static final Option FOREGROUND = Option.choice("foreground", "Foreground clusters",
            "objects: which clusters are objects (labels are numbered darkest first): auto = the darkest for a colour"
                    + " brightfield image (stained objects on a bright background: H&E, IHC), all but the darkest for any other;"
                    + " all but the darkest, the brightest, the darkest (dark objects on a bright background), all but the brightest",
            "auto", "not-darkest", "brightest", "darkest", "not-brightest");
    public static final Option FOREGROUND_CLUSTERS = Option.text("foregroundClusters", "Foreground cluster numbers (instead of the rule)",
            "objects: these clusters are the objects, e.g. 2 or 2,3 (1 = the darkest, as in the cluster label image);"
                    + " for what no foreground rule names, e.g. the middle of three; empty = the foreground rule decides")
            .parser(io.github.unseg.label.Instances::parseClusters).placeholder("LIST");
    public static final Option FOREGROUND_AT = Option.text("foregroundAt", "Foreground: clusters under (selection, roimanager, ROI file or x,y)",
            "objects: the clusters under these points are the objects, read on each image's cluster labels: selection (the image's"
                    + " point selection, or an area inside an object), roimanager (the ROI Manager's ROIs; not headless), a .roi or .zip"
                    + " ROI file, or pixel coordinates x,y or x,y,slice"
                    + " (several separated by spaces or ;); a point names its pixel's cluster, an area its most common one;"
                    + " empty = foregroundClusters or the foreground rule decides")
            .byDefault("").frontEndOnly().placeholder("selection|roimanager|FILE|X,Y");
    public static final Option FILL_HOLES = Option.flag("fillHoles", "Fill holes", "objects: fill holes inside objects");
    public static final Option SEED_DISTANCE = Option.number("seedDistance", "Seed distance (pixels, 0 = no split)",
            "objects: split touching objects by a watershed on the distance transform from seeds at least this far apart"
                    + " (about the smallest object's radius; autoSeedDistance raises it for larger objects); 0 = no splitting").range(0, 1000);
    public static final Option AUTO_SEED_DISTANCE = Option.flag("autoSeedDistance", "Seed distance from the objects' size",
            "objects: raise the seed distance to 3/4 of the image's typical object radius (the median over foreground pieces"
                    + " of their largest inscribed radius) when that is larger, up to 50 px, so that large cells are not cut at the bumps of"
                    + " their outlines; off: seedDistance exactly");
    public static final Option REFINE_EDGES = Option.number("refineEdges", "Refine outlines to edges (pixels, 0 = off)",
            "objects: move each outline to the strongest intensity edge within this many pixels (a watershed on the"
                    + " gradient between the objects shrunk and the background grown by this much); objects never merge;"
                    + " objects narrower than twice this go (unless all are: then it is halved to their scale); 0 = off").range(0, 100);
    public static final Option DIM_OBJECTS = Option.number("dimObjects", "Find dim objects (noise levels, 0 = off)",
            "objects: also make objects of background pieces this many noise levels above the background's local level"
                    + " (within 50 px; below it for dark objects), not touching an object (its halo) unless larger than the objects it"
                    + " touches and reaching beyond their halo (their dim rest), and at least a tenth of a typical object's"
                    + " size: dim cells that the clusters put in the background; with the foreground rule (named"
                    + " foregroundClusters are the objects exactly); 0 = off").range(0, 100);
    public static final Option MIN_OBJECT_SIZE = Option.integer("minObjectSize", "Minimum object size (pixels)",
            "smallest object kept (objects; ROIs in object mode)").atLeast(1);
    public static final Option MAX_OBJECT_SIZE = Option.integer("maxObjectSize", "Maximum object size (pixels, 0 = none)",
            "objects: drop objects larger than this (clumps, debris, a background taken for an object; Analyze Particles' size"
                    + " range); 0 = no limit").atLeast(0);
    public static final Option MIN_OUTLINE_CONTRAST = Option.number("minOutlineContrast", "Minimum outline contrast (0 = off)",
            "objects: drop objects whose outline contrast (the mean intensity gradient along the outline over the background's"
                    + " median gradient: the measurements' outline_contrast) is below this: the blobs cut out of an empty"
                    + " field's noise (0.9-1.9 measured) where nuclei and cells measured 2.1 and more on four fluorescence sets"
                    + " (electron microscopy's cells down to 1.3); 0 = off").range(0, 1000);
    public static final Option EXCLUDE_EDGES = Option.flag("excludeEdges", "Exclude objects on edges",
            "objects: drop objects that touch the image's border in x or y, or a masked pixel (mask, padding, NaN: the field of"
                    + " view's edge there), which the field of view cuts (as Analyze Particles' exclude on edges)");
    public static final Option ADD_TO_MANAGER = Option.flag("addToManager", "Add ROIs to the ROI Manager", "show the ROIs in the ROI Manager")
            .byDefault(true).frontEndOnly().only("the ROI Manager is a window: scripts save ROIs with rois", MENU);
    private static final String PREVIEW_ONLY = "a preview is drawn in the dialog: the command line and macros label at once";
    public static final Option PREVIEW = Option.flag("preview", "Preview (current plane)",
            "in the dialog: the labels of the image's current plane drawn over it, again as the options change (in plain"
                    + " ImageJ, whose dialog leaves the image free, as its slider moves too); nothing is written,"
                    + " and the overlay goes when the dialog closes (the CNN trains first, for seconds; a change of its region settings alone"
                    + " then redraws without training again)")
            .byDefault(false).frontEndOnly().only(PREVIEW_ONLY, MENU);
    public static final Option PREVIEW_SLICE = Option.integer("previewSlice", "Preview slice (0 = the one shown)",
            "with preview, on a stack: the slice (z) to preview, which the image window then shows (Fiji's dialog keeps the"
                    + " window's slider still while it is open); 0 = the slice the window shows")
            .range(0, 1_000_000).byDefault(0).frontEndOnly().only(PREVIEW_ONLY, MENU);
    /** The dialog's preview options, the last fields of every labelling dialog. */
    public static final List<Option> PREVIEWING = List.of(PREVIEW, PREVIEW_SLICE);
    public static final Option LABELS = Option.file("labels", "Save label image (.tif)", "16-bit label image (batch: a folder)");
    public static final Option ROIS = Option.file("rois", "Save ROI set (.zip)", "ROI set for the ROI Manager (batch: a folder)");
    public static final Option MEASUREMENTS = Option.file("measurements", "Save measurements (.csv)",
            "a CSV row per object (per cluster without objects) and frame: pixels, calibrated area (volume in 3D), centroid,"
                    + " mean / min / max intensity (of the channels segmented on), bounding box, and each channel's mean for a"
                    + " multichannel or RGB image (batch: a folder)");
    public static final Option PROBABILITY_MAPS = Option.flag("probabilityMaps", "Probability maps", "gmm: 32-bit per-cluster probability maps");
    public static final Option PROBABILITIES = Option.file("probabilities", "Save probability maps (.tif)", "gmm: probability maps file (batch: a folder)");
    public static final Option SAVE_MODEL = Option.file("saveModel", "Save model (.json)", "save the fitted model");
    public static final Option MODEL = Option.file("model", "Model (.json)", "apply a saved model instead of fitting");
    public static final Option OVERWRITE = Option.flag("overwrite", "Overwrite existing files", "replace existing outputs (otherwise refused / skipped)");

    // --- Command-line batches (a macro loops over files itself) ---
    private static final String BATCH = "batch control of the command line; a macro loops over files itself";
    public static final Option FIT_ONCE = Option.flag("fitOnce", "Fit once", "batch: fit on the first image, apply that model to all")
            .frontEndOnly().byDefault(false).only(BATCH, CLI);
    public static final Option FIT_ON = Option.text("fitOn", "Fit on", "fit one model on these images (files or folders, ';'-separated)")
            .frontEndOnly().byDefault("").placeholder("PATHS").only(BATCH, CLI);
    public static final Option TRUTH = Option.file("truth", "Ground truth", "ground truth label image (one input; repeat for several annotators) or folder (matched by name)")
            .only(BATCH + "; call evaluate in a macro", CLI);
    public static final Option QUIET = Option.flag("quiet", "Quiet", "no progress lines").frontEndOnly().byDefault(false)
            .only("the menus show progress on the status bar", CLI);

    // --- The evaluator ---
    public static final Option PRED_FOREGROUND = Option.choice("predForeground", "Predicted foreground clusters",
            "evaluate cluster labels as objects: the connected components of these clusters (numbered darkest first, as UnSeg"
                    + " numbers them; the rest is label 0); none = the predicted labels as they are",
            "none", "not-darkest", "brightest", "darkest", "not-brightest");
    public static final Option SPLIT_COMPONENTS = Option.flag("splitComponents", "Split predicted labels into connected objects",
            "split predicted labels into connected objects first (Kanezaki's protocol)").alias("split");
    public static final Option FOUR_CONNECTED = Option.flag("fourConnected", "4-connected objects (6 in 3D)",
            "splitComponents with 4- (2D) / 6- (3D) connectivity instead of 8 / 26").alias("four_connected");
    public static final Option IGNORE_PRED_LABEL = Option.text("ignorePredLabel", "Ignore predicted label (none or a number)",
            "predicted label that is not a segment (e.g. the background cluster 1)").byDefault("none").parser(EvalOptions::parseLabel)
            .placeholder("L|none")
            .alias("ignore-pred", "ignore_pred");
    public static final Option IGNORE_TRUTH_LABEL = Option.text("ignoreTruthLabel", "Ignore true label (none or a number)",
            "true label that is not a segment (e.g. background 0)").byDefault("none").parser(EvalOptions::parseLabel)
            .placeholder("L|none")
            .alias("ignore-truth", "ignore_truth");
    public static final Option MIN_SIZE = Option.integer("minSize", "Drop predicted segments below (pixels)",
            "predicted segments (objects with splitComponents) smaller than this become the ignored predicted label;"
                    + " 0 = keep all").atLeast(0);
    public static final Option THRESHOLDS = Option.text("thresholds", "IoU thresholds for instance matching",
            "0.5, 0.5,0.75 or a range 0.5:0.05:0.95").parser(EvalOptions::parseThresholds).placeholder("T");

    /** Pixel-feature settings every method takes (the CNN does not use coordinates or a sample). */
    public static final List<Option> FEATURES = List.of(NORMALIZATION, SMOOTHING, NAN_POLICY, SEED, THREADS);
    /** Intensity scale, filter features and shading correction of the clustering methods (the CNN learns its own features). */
    public static final List<Option> FEATURE_STACK = List.of(INTENSITY, FILTERS, SIGMAS, BACKGROUND, BACKGROUND_SIGMA);
    /** Outputs and stack mode of a segmentation run, after the method's options. */
    public static final List<Option> OUTPUTS = List.of(PER_SLICE, USE_CHANNELS, MASK, MASK_PADDING, CLIP_OUTLIERS, OBJECTS, FOREGROUND, FOREGROUND_CLUSTERS, FOREGROUND_AT, FILL_HOLES, DIM_OBJECTS, REFINE_EDGES, SEED_DISTANCE, AUTO_SEED_DISTANCE, MIN_OBJECT_SIZE, MAX_OBJECT_SIZE, MIN_OUTLINE_CONTRAST, EXCLUDE_EDGES, ROI_MODE, ADD_TO_MANAGER, LABELS, ROIS,
            MEASUREMENTS, SAVE_MODEL, OVERWRITE);
    /** Batch options of the command line. */
    public static final List<Option> BATCHES = List.of(FIT_ONCE, FIT_ON, TRUTH, QUIET);
    public static final List<Option> EVALUATION = List.of(PRED_FOREGROUND, SPLIT_COMPONENTS, FOUR_CONNECTED, IGNORE_PRED_LABEL, IGNORE_TRUTH_LABEL,
            MIN_SIZE, THRESHOLDS);

    @SafeVarargs
    public static List<Option> join(List<Option>... lists) {
        List<Option> out = new ArrayList<>();
        for (List<Option> l : lists) for (Option o : l) if (!out.contains(o)) out.add(o);
        return out;
    }

    private static List<Option> all;

    /** Every option defined here, in field order. */
    public static synchronized List<Option> all() {
        if (all == null) {
            List<Option> out = new ArrayList<>();
            for (java.lang.reflect.Field f : Options.class.getFields()) {
                if (f.getType() != Option.class) continue;
                try {
                    out.add((Option) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
            all = Collections.unmodifiableList(out);
        }
        return all;
    }

    public static List<Option> of(Option... os) { return Arrays.asList(os); }

    /**
     * For a key that names an option of another front end only (a recorded menu line pasted into
     * call(): preview, addtomanager; --live-plot on the command line): why it is not taken in fe,
     * as a message naming it as shown; null if the key is no such option.
     */
    public static String notTakenHere(FrontEnd fe, String key, String shown) {
        for (Option o : all()) {
            if (o.in(fe) || o.whyNotEverywhere() == null) continue;
            for (String k : o.keys(fe)) {
                if (fe == FrontEnd.CLI ? k.equals(key) : k.equalsIgnoreCase(key)) {
                    return shown + " is not taken here (" + o.whyNotEverywhere() + "): leave it out.";
                }
            }
        }
        return null;
    }
}
