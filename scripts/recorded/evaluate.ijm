// Segment, then Plugins > Segmentation > UnSeg > Evaluate Segmentation against the mask; the
// figures land in the Results table. Argument: the UnSeg folder.
root = getArgument();
open(root + "/samples/dsb2018_nuclei.tif");
run("K-means", "image=dsb2018_nuclei.tif roimode=none minobjectsize=10 normalization=min-max coordinateweight=0 smoothing=0 nanpolicy=mask samplesize=200000 seed=1 nclusters=2 ninit=3 maxiterations=300 tolerance=0.0001");
open(root + "/samples/dsb2018_nuclei_mask.tif");
run("Evaluate Segmentation", "prediction=dsb2018_nuclei-labels truth=dsb2018_nuclei_mask.tif moretruths=[] splitcomponents ignorepredlabel=1 ignoretruthlabel=0 thresholds=0.5");
return "foregroundIoU " + d2s(getResult("foregroundIoU", nResults - 1), 4) + " f1 " + d2s(getResult("f1@0.50", nResults - 1), 4);
