// Plugins > Segmentation > UnSeg > CNN + K-means: K-means with 2 clusters on the CNN's responses,
// so exactly 2 labels (nuclei and background). Argument: the UnSeg folder.
open(getArgument() + "/samples/dsb2018_nuclei.tif");
run("CNN + K-means", "image=dsb2018_nuclei.tif roimode=none minobjectsize=10 normalization=min-max coordinateweight=0 smoothing=0 nanpolicy=mask samplesize=200000 seed=1 nclusters=2 nchannels=32 nconv=2 maxiterations=30 minlabels=3 continuityweight=5 trainingpixels=200000 trainingslices=[]");
return getTitle() + " max " + getValue("Max");
