// Plugins > Segmentation > UnSeg > GMM + K-means. Argument: the UnSeg folder.
open(getArgument() + "/samples/dsb2018_nuclei.tif");
run("GMM + K-means", "image=dsb2018_nuclei.tif roimode=none minobjectsize=10 normalization=min-max coordinateweight=0 smoothing=0 nanpolicy=mask samplesize=200000 seed=1 nclusters=2 gmmcomponents=0 posteriorweight=1 covariance=full ninit=3");
return getTitle() + " max " + getValue("Max");
