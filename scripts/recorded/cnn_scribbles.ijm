// Plugins > Segmentation > UnSeg > Unsupervised CNN with scribbles from the ROI Manager: a line
// over the background (ROI group 1) and lines over two nuclei (group 2) make two classes, so the
// result has two labels, 1 = background and 2 = nuclei. Argument: the UnSeg folder.
run("Close All");
open(getArgument() + "/samples/dsb2018_nuclei.tif");
roiManager("reset");
makeLine(5, 6, 40, 6);      Roi.setGroup(1); roiManager("add");
makeLine(455, 311, 475, 311); Roi.setGroup(2); roiManager("add");
makeLine(158, 337, 175, 337); Roi.setGroup(2); roiManager("add");
run("Select None");
run("Unsupervised CNN", "image=dsb2018_nuclei.tif roimode=none minobjectsize=10 normalization=min-max coordinateweight=0 smoothing=0 nanpolicy=mask samplesize=200000 seed=1 nchannels=32 nconv=2 maxiterations=100 minlabels=3 similarityweight=1 continuityweight=5 learningrate=0.1 trainingpixels=200000 trainingslices=[] scribbles=roimanager scribbleweight=5");
selectImage("dsb2018_nuclei-labels");
getStatistics(area, mean, min, max);
result = "max " + max + " background " + getPixel(20, 6) + " nucleus " + getPixel(464, 311) + " " + getPixel(166, 337);
run("Close All");          // leave no image of the same title for the next macro
roiManager("reset");
return result;
