package dev.lit4j.pytorch.image;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.lit4j.pytorch.EngineThreads;
import dev.lit4j.pytorch.image.TrainableMobileNetV2.Init;
import dev.lit4j.pytorch.image.keras.ForwardMode;
import java.util.Arrays;
import java.util.Random;

/**
 * Measures one training step of the trainable tower, not a test (run by hand): forward in training
 * mode and backward of a cosine loss on random images, then reading every gradient back (so the
 * asynchronous work is done), at a batch and resolution, median of several steps.
 *
 * <pre>
 * OMP_NUM_THREADS=1 java -cp &lt;test classpath&gt; dev.lit4j.pytorch.image.TrainableMobileNetV2StepTiming [batch] [px] [steps]
 * </pre>
 *
 * Defaults: batch 32, 112 px, 5 measured steps after 2 warm-up steps; PRETRAINED weights.
 */
final class TrainableMobileNetV2StepTiming {
  private TrainableMobileNetV2StepTiming() {}

  public static void main(String[] args) {
    int batch = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    int size = args.length > 1 ? Integer.parseInt(args[1]) : 112;
    int steps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Random r = new Random(42);
    float[] pixels = new float[batch * 3 * size * size];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = r.nextFloat();
    }
    float[] targets = new float[batch * 576];
    for (int i = 0; i < targets.length; i++) {
      targets[i] = (float) r.nextGaussian() / 24;
    }
    double[] forward = new double[steps];
    double[] backward = new double[steps];
    try (TrainableMobileNetV2 tower = TrainableMobileNetV2.builder(Init.PRETRAINED).build();
        NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray x = m.create(pixels, new Shape(batch, 3, size, size));
      NDArray t = m.create(targets, new Shape(batch, 576));
      for (int s = -2; s < steps; s++) {
        try (NDManager step = m.newSubManager()) {
          long t0 = System.nanoTime();
          long t1;
          try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray e = tower.forward(x, ForwardMode.TRAINING);
            e.attach(step);
            NDArray loss = e.mul(t).sum().neg();
            loss.attach(step);
            loss.getFloat(); // the forward pass is done
            t1 = System.nanoTime();
            gc.backward(loss);
          }
          for (Parameter p : tower.namedParameters().values()) {
            NDArray g = p.getArray().getGradient();
            g.attach(step);
            g.toFloatArray(); // the backward pass is done
            g.subi(g);
          }
          long t2 = System.nanoTime();
          if (s >= 0) {
            forward[s] = (t1 - t0) / 1e9;
            backward[s] = (t2 - t1) / 1e9;
          }
        }
      }
    }
    Arrays.sort(forward);
    Arrays.sort(backward);
    System.out.printf(
        "batch %d at %d px, libtorch threads %s, %d steps: forward median %.3f s (min %.3f),"
            + " backward median %.3f s (min %.3f), step median %.3f s = %.1f images/s%n",
        batch,
        size,
        EngineThreads.current(),
        steps,
        forward[steps / 2],
        forward[0],
        backward[steps / 2],
        backward[0],
        forward[steps / 2] + backward[steps / 2],
        batch / (forward[steps / 2] + backward[steps / 2]));
  }
}
