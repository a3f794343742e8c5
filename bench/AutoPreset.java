// What the CNN's preset auto decides on the shared data: ImageKind.colourPhoto (photo settings
// or microscopy settings) on every BSDS photo and DRIVE fundus image as they are, and on each
// microscopy image (grey) made into the RGB images a user may have instead: grey saved as RGB,
// a one-colour merge (green), a three-colour copy with the grey in every channel but a
// little colour, and the image through two of ImageJ's LUTs flattened to RGB (Cyan Hot, whose
// brightness rises with the grey level, and Fire, whose does not everywhere). Run through
// bench/auto_preset.sh; env: DATA (../shared/data).
import ij.IJ;
import ij.ImagePlus;
import ij.process.ColorProcessor;
import ij.process.ImageConverter;
import ij.process.ImageProcessor;
import io.github.unseg.core.ImageKind;
import io.github.unseg.ij.ImagePlusViews;

import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class AutoPreset {
    public static void main(String[] args) throws Exception {
        File data = new File(System.getenv().getOrDefault("DATA", "../shared/data"));
        Map<String, int[]> tally = new LinkedHashMap<>();   // row -> {photo, images}
        Map<String, List<String>> odd = new LinkedHashMap<>();
        File bsds = new File(data, "bsds/manifest.csv");
        if (bsds.isFile()) {
            for (String line : Files.readAllLines(bsds.toPath())) {
                if (line.startsWith("id,")) continue;
                String[] r = line.split(",");
                ImagePlus img = IJ.openImage(new File(data, "bsds/images/" + r[1] + "/" + r[0] + ".jpg").getPath());
                boolean photo = count(tally, "BSDS300 photos", img);
                if (!photo) odd.computeIfAbsent("BSDS300 photos", k -> new ArrayList<>()).add(r[0]);
            }
        }
        File drive = new File(data, "medical/drive/training/images");
        File[] fundus = drive.listFiles();
        if (fundus != null) {
            java.util.Arrays.sort(fundus);
            for (File f : fundus) count(tally, "DRIVE fundus (RGB)", IJ.openImage(f.getPath()));
        }
        File micro = new File(data, "micro/manifest.csv");
        if (micro.isFile()) {
            for (String line : Files.readAllLines(micro.toPath())) {
                if (line.startsWith("set,")) continue;
                String[] r = line.split(",");
                ImagePlus img = IJ.openImage(new File(data, "micro/" + r[1]).getPath());
                if (img.getType() != ImagePlus.GRAY8) new ImageConverter(img).convertToGray8();   // 16-bit: by its display range
                ImageProcessor g = img.getProcessor();
                int w = g.getWidth(), h = g.getHeight();
                int[] grey = new int[w * h], green = new int[w * h], tinted = new int[w * h];
                for (int i = 0; i < grey.length; i++) {
                    int v = g.get(i);
                    grey[i] = (v << 16) | (v << 8) | v;
                    green[i] = v << 8;
                    tinted[i] = (Math.min(255, v + 4) << 16) | (v << 8) | v;   // a warm cast: colour in every pixel
                }
                count(tally, r[0] + " as grey RGB", rgb(grey, w, h));
                count(tally, r[0] + " as a green merge", rgb(green, w, h));
                count(tally, r[0] + " tinted (all channels)", rgb(tinted, w, h));
                for (String lut : new String[]{"Cyan Hot", "Fire"}) {
                    ImageProcessor p = g.convertToByte(true).duplicate();
                    p.setColorModel(ij.plugin.LutLoader.getLut(lut));
                    count(tally, r[0] + " through " + lut, new ImagePlus("lut", p.convertToRGB()));
                }
            }
        }
        System.out.println("| images | taken as colour photos (photo settings) | of |");
        System.out.println("|---|---|---|");
        for (Map.Entry<String, int[]> e : tally.entrySet()) {
            System.out.println("| " + e.getKey() + " | " + e.getValue()[0] + " | " + e.getValue()[1] + " |");
        }
        for (Map.Entry<String, List<String>> e : odd.entrySet()) System.out.println(e.getKey() + " not taken as photos: " + e.getValue());
    }

    static ImagePlus rgb(int[] px, int w, int h) {
        return new ImagePlus("rgb", new ColorProcessor(w, h, px));
    }

    static boolean count(Map<String, int[]> tally, String row, ImagePlus img) {
        boolean photo = ImageKind.colourPhoto(ImagePlusViews.wrap(img));
        int[] t = tally.computeIfAbsent(row, k -> new int[2]);
        if (photo) t[0]++;
        t[1]++;
        return photo;
    }
}
