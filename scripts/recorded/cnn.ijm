// Plugins > Segmentation > UnSeg > Unsupervised CNN, as the macro recorder writes it. 32 response
// channels and 30 iterations keep it short; the reference uses 100 channels and up to 1000
// iterations. Argument: the UnSeg folder.
open(getArgument() + "/samples/dsb2018_nuclei.tif");
run("Unsupervised CNN", "image=dsb2018_nuclei.tif roimode=none minobjectsize=10 normalization=min-max coordinateweight=0 smoothing=0 nanpolicy=mask samplesize=200000 seed=1 nchannels=32 nconv=2 maxiterations=30 minlabels=2 similarityweight=1 continuityweight=5 learningrate=0.1 trainingpixels=200000 trainingslices=[] scribbles=none scribbleweight=5");
return getTitle() + " max " + getValue("Max");
