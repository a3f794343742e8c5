// Plugins > Segmentation > UnSeg > K-means with the objects' cluster shown by a point in the ROI
// Manager (foregroundat=roimanager): of three clusters (background, dim and bright nuclei), a point
// on a bright nucleus makes the brightest cluster's objects only, so a dim nucleus is no object.
// Argument: the UnSeg folder.
run("Close All");
open(getArgument() + "/samples/dsb2018_nuclei.tif");
roiManager("reset");
makePoint(73, 346); roiManager("add");
run("Select None");
run("K-means", "image=dsb2018_nuclei.tif roimode=none normalization=min-max smoothing=1 nanpolicy=mask samplesize=200000 seed=1 nclusters=3 ninit=3 maxiterations=300 tolerance=0.0001 objects foreground=not-darkest foregroundat=roimanager fillholes minobjectsize=10");
selectImage("dsb2018_nuclei-objects");   // object labels are named -objects
result = "bright " + (getPixel(73, 346) > 0) + " dim " + (getPixel(63, 485) > 0);
run("Close All");          // leave no image of the same title for the next macro
roiManager("reset");
return result;
