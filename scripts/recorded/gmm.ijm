// Plugins > Segmentation > UnSeg > Gaussian Mixture, with probability maps. Argument: the UnSeg folder.
open(getArgument() + "/samples/dsb2018_nuclei.tif");
run("Gaussian Mixture", "image=dsb2018_nuclei.tif roimode=none minobjectsize=10 normalization=min-max coordinateweight=0 smoothing=0 nanpolicy=mask samplesize=200000 seed=1 nclusters=2 covariance=full minclusters=2 maxclusters=8 maxiterations=100 tolerance=0.001 regularization=0.000001 probabilitymaps");
selectImage("dsb2018_nuclei-labels");            // both outputs are shown; the probabilities last
labels = getTitle();
selectImage("dsb2018_nuclei-probabilities");
return labels + " + " + getTitle() + " " + nSlices + " channels";
