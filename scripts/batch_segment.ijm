// UnSeg batch: segment every image of a folder, write label images, ROI sets and measurements
// (NAME_measurements.csv: a row per object or cluster, see the README's Objects), optionally
// evaluate each against ground truth into a CSV. Skips images already done (their label image
// exists), reports failed files and goes on. Uses only call() and built-in functions, so it runs
// in Fiji and in plain ImageJ, with a display or headless:
//   fiji --headless -batch scripts/batch_segment.ijm "input=/data/in output=/data/out method=gmm nclusters=3"
//   java -Djava.awt.headless=true -cp <ij.jar:unseg jars> ij.ImageJ -batch scripts/batch_segment.ijm "input=... output=..."
// Arguments (key=value, [brackets] around values with spaces):
//   input=DIR output=DIR            required
//   truth=DIR                       ground truth, matched by name (NAME.*, NAME_*.*): writes output/metrics.csv
//   eval=[OPTIONS]                  evaluation options, e.g. eval=[splitcomponents ignorepredlabel=1 ignoretruthlabel=0]
//   every other key is a segment option, as call("io.github.unseg.ij.UnSegMacro.segment") takes it
//   (the keys of a recorded run(); `scripts/unseg options` lists them), e.g. method=gmm nclusters=3
//   roimode=[one per object] minobjectsize=20, or model=FILE to label with a saved model
args = getArgument();
input = value(args, "input", "");
output = value(args, "output", "");
if (input == "" || output == "") exit("batch_segment.ijm needs input=DIR and output=DIR");
if (!endsWith(input, File.separator)) input = input + File.separator;
if (!endsWith(output, File.separator)) output = output + File.separator;
File.makeDirectory(output);
// The segment options: the arguments without this script's own keys (unknown keys are refused by segment).
options = " " + args + " ";
own = newArray("input", "output", "truth", "eval");
for (k = 0; k < own.length; k++) options = replace(options, " " + own[k] + "=(\\[[^\\]]*\\]|[^ ]*)", " ");
truth = value(args, "truth", "");
evalOptions = value(args, "eval", "");
csv = output + "metrics.csv";
setBatchMode(true);

files = getFileList(input);
done = 0; skipped = 0; failed = 0;
for (i = 0; i < files.length; i++) {
    name = files[i];
    // image files only, as the command line takes them: not hidden (a Mac's ._NAME.tif), not a ROI
    // set, not UnSeg's own outputs (an output folder equal to the input folder)
    if (call("io.github.unseg.ij.UnSegMacro.isBatchInput", input + name) != "true") continue;
    base = substring(name, 0, lastIndexOf(name, "."));
    labels = output + base + "_labels.tif";
    rois = output + base + "_rois.zip";
    measurements = output + base + "_measurements.csv";
    if (File.exists(labels)) { print("[" + (i + 1) + "/" + files.length + "] " + name + ": skipped, " + labels + " exists"); skipped++; continue; }
    title = call("io.github.unseg.ij.UnSegMacro.segment", input + name, options + " labels=[" + labels + "] rois=[" + rois + "] measurements=[" + measurements + "]");
    if (startsWith(title, "error")) { print("[" + (i + 1) + "/" + files.length + "] " + name + ": FAILED: " + substring(title, 7)); failed++; continue; }
    line = "";
    if (truth != "") {
        r = call("io.github.unseg.ij.UnSegMacro.evaluate", title, truth, evalOptions);
        if (startsWith(r, "error")) {
            print("[" + (i + 1) + "/" + files.length + "] " + name + ": evaluation FAILED: " + substring(r, 7));
        } else {
            if (!File.exists(csv)) File.append("image," + call("io.github.unseg.ij.UnSegMacro.keys"), csv);
            keys = split(call("io.github.unseg.ij.UnSegMacro.keys"), ",");
            row = name;
            for (k = 0; k < keys.length; k++) row = row + "," + call("io.github.unseg.ij.UnSegMacro.get", keys[k]);
            File.append(row, csv);
            line = ", mean IoU " + d2s(parseFloat(call("io.github.unseg.ij.UnSegMacro.get", "meanIoU")), 4);
        }
    }
    close(title);
    print("[" + (i + 1) + "/" + files.length + "] " + name + " -> " + labels + line);
    done++;
}
print("UnSeg batch: " + done + " segmented, " + failed + " failed, " + skipped + " skipped");
// Run by ImageJ -batch, exit 1 when a file failed (a headless job must see it); no-op in a GUI.
if (failed > 0) call("io.github.unseg.ij.UnSegMacro.exitIfBatch", "1");

// value of key=value (or key=[value with spaces]) in s, or def
function value(s, key, def) {
    s = " " + s + " ";
    i = indexOf(s, " " + key + "=");
    if (i < 0) return def;
    v = substring(s, i + lengthOf(key) + 2);
    if (startsWith(v, "[")) return substring(v, 1, indexOf(v, "]"));
    return substring(v, 0, indexOf(v, " "));
}
