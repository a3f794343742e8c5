import io.github.unseg.cnn.KanezakiNet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * UnSeg's side of bench/cnn_parity.sh: trains UnSeg's network (C channels, nConv 2, the
 * reference's loss and SGD) on DIR/input.raw (float32 C x H x W, shape in DIR/shape.txt) for
 * ITERS iterations from seed SEED; writes its initial parameters to DIR/p*.raw (for the PyTorch
 * side to start from) and the label count and loss of every iteration to DIR/unseg_SEED.txt.
 *   java -cp target/unseg.jar:... bench/CnnParity.java DIR C ITERS SEED
 */
public class CnnParity {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        int c = Integer.parseInt(a[1]), iters = Integer.parseInt(a[2]);
        long seed = Long.parseLong(a[3]);
        String[] sh = Files.readString(dir.resolve("shape.txt")).trim().split(" ");
        int d = Integer.parseInt(sh[0]), h = Integer.parseInt(sh[1]), w = Integer.parseInt(sh[2]);
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("input.raw"))).order(ByteOrder.LITTLE_ENDIAN);
        float[] px = new float[d * h * w];
        in.asFloatBuffer().get(px);
        INDArray img = Nd4j.create(px, new long[]{1, d, h, w}).castTo(DataType.FLOAT);
        KanezakiNet net = new KanezakiNet(d, c, 2, seed, DataType.FLOAT);
        List<INDArray> ps = net.parameters();
        for (int i = 0; i < ps.size(); i++) {
            float[] v = ps.get(i).dup('c').data().asFloat();
            ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(v);
            Files.write(dir.resolve("p" + i + ".raw"), b.array());
        }
        StringBuilder sb = new StringBuilder();
        for (int it = 0; it < iters; it++) {
            io.github.unseg.cnn.LossResult r = net.step(img, 1, 1, 0.1, 0.9, null);
            sb.append(java.util.Arrays.stream(r.labels).distinct().count()).append(' ').append(r.loss).append('\n');
        }
        Files.writeString(dir.resolve("unseg_" + seed + ".txt"), sb.toString());
    }
}
