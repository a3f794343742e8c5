// UnSeg example: segment the shipped nucleus image with K-means and evaluate it against its mask.
// Runs in plain ImageJ or Fiji, with a GUI or headless, e.g.
//   fiji --headless -batch scripts/evaluate_sample.ijm /path/to/unseg
//   java -cp ij.jar:unseg.jar:<deps> ij.ImageJ -batch scripts/evaluate_sample.ijm /path/to/unseg
// The argument is the UnSeg folder (it holds samples/); without one, the folder above this macro's
// scripts/. Never a dialog: run with -batch, a folder dialog would wait, invisible, forever.
root = getArgument();
if (root == "") {
  here = getInfo("macro.filepath");   // this macro's file, when run from a file
  if (here != "" && !startsWith(here, "/") && indexOf(here, ":") != 1) here = getInfo("user.dir") + File.separator + here;
  if (here != "" && File.exists(here)) root = File.getParent(File.getParent(here));
}
if (root == "" || !File.exists(root + File.separator + "samples" + File.separator + "dsb2018_nuclei.tif"))
  exit("evaluate_sample.ijm: cannot find samples/dsb2018_nuclei.tif under '" + root + "'; give the UnSeg folder as the argument, e.g. -batch scripts/evaluate_sample.ijm /path/to/unseg");
if (!endsWith(root, "/") && !endsWith(root, "\\")) root = root + File.separator;
setBatchMode(true);

// UnSegMacro.open works like open() and also in a plain ImageJ without a display.
image = call("io.github.unseg.ij.UnSegMacro.open", root + "samples" + File.separator + "dsb2018_nuclei.tif");
if (startsWith(image, "error")) exit(image);
// K-means, 2 clusters: label 1 = background (darkest), label 2 = nuclei
labels = call("io.github.unseg.ij.UnSegMacro.segment", image, "method=kmeans nclusters=2 seed=1");
if (startsWith(labels, "error")) exit(labels);

truth = call("io.github.unseg.ij.UnSegMacro.open", root + "samples" + File.separator + "dsb2018_nuclei_mask.tif");
if (startsWith(truth, "error")) exit(truth);
// Nuclei as objects: split the nucleus cluster into connected objects, ignore both backgrounds.
result = call("io.github.unseg.ij.UnSegMacro.evaluate", labels, truth, "splitcomponents ignorepredlabel=1 ignoretruthlabel=0 thresholds=0.5");
if (startsWith(result, "error")) exit(result);

foreground = parseFloat(call("io.github.unseg.ij.UnSegMacro.get", "foregroundIoU"));
f1 = parseFloat(call("io.github.unseg.ij.UnSegMacro.get", "f1@0.50"));
pri = getResult("PRI", nResults - 1);   // the same figures are in the Results table
print("UnSeg K-means on " + image + ": foreground IoU " + d2s(foreground, 4) + ", F1@0.5 " + d2s(f1, 4) + ", PRI " + d2s(pri, 4));
return d2s(foreground, 9) + " " + d2s(f1, 9) + " " + d2s(pri, 9);
