// Plugins > Segmentation > UnSeg > K-means, as ImageJ's macro recorder writes it (keys are the
// parameter names in lower case; a checkbox key present means ticked). Argument: the UnSeg folder.
open(getArgument() + "/samples/dsb2018_nuclei.tif");
run("K-means", "image=dsb2018_nuclei.tif roimode=[one per object] minobjectsize=20 normalization=min-max coordinateweight=0 smoothing=0 nanpolicy=mask samplesize=200000 seed=1 nclusters=2 ninit=3 maxiterations=300 tolerance=0.0001");
return getTitle() + " max " + getValue("Max");
