// Fit K-means once and save the model, then Plugins > Segmentation > UnSeg > Apply Saved Model
// labels an image with it. Argument: the UnSeg folder.
root = getArgument();
model = getDirectory("temp") + "unseg-recorded-model.json";
if (File.exists(model)) File.delete(model);
open(root + "/samples/dsb2018_nuclei.tif");
run("K-means", "image=dsb2018_nuclei.tif roimode=none minobjectsize=10 normalization=min-max coordinateweight=0 smoothing=0 nanpolicy=mask samplesize=200000 seed=1 savemodel=[" + model + "] nclusters=2 ninit=3 maxiterations=300 tolerance=0.0001");
fitted = getTitle();
run("Apply Saved Model", "image=dsb2018_nuclei.tif roimode=none minobjectsize=10 model=[" + model + "]");
applied = getTitle();
return fitted + " / " + applied + " max " + getValue("Max");
