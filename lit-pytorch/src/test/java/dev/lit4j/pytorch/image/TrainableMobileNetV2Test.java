package dev.lit4j.pytorch.image;

import static dev.lit4j.testing.NumericAssertions.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.lit4j.pytorch.image.TrainableMobileNetV2.Init;
import dev.lit4j.pytorch.image.keras.ForwardMode;
import dev.lit4j.pytorch.weights.FloatTensor;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The trainable MobileNetV2 on generated images: against the locked tower, through a few SGD steps
 * on both initialisations, and on its input checks.
 */
class TrainableMobileNetV2Test {

  /**
   * Unfolded against folded batch normalisation on unit rows of 576: the folded kernels are rounded
   * to float32 after multiplying by γ/√(σ²+ε) in float64, and the two sum in another order, over 40
   * convolutions. Measured 1.9e-7 here (DJL 0.36.0, libtorch 2.7.1, CPU); 1e-4, the bound of the
   * locked tower's own parity test against TF.js, leaves room for other kernels (oneDNN, GPU) while
   * a wrong layer moves components by 1e-2 or more.
   */
  private static final double FOLDING_ATOL = 1e-4;

  private static final int TRAINABLE_TENSORS = 40 + 2 * 40; // kernels, BN gains and shifts

  private static final float SGD_RATE = 0.05f;

  /** Draws a few shapes in seeded colours: an image with edges and flat regions, like clip art. */
  static BufferedImage drawn(long seed, int width, int height) {
    Random r = new Random(seed);
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
    g.fillRect(0, 0, width, height);
    g.setStroke(new BasicStroke(Math.max(2, width / 40f)));
    for (int k = 0; k < 6; k++) {
      g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
      int x = r.nextInt(width);
      int y = r.nextInt(height);
      int w = 10 + r.nextInt(width / 2);
      int h = 10 + r.nextInt(height / 2);
      switch (k % 3) {
        case 0 -> g.fillOval(x - w / 2, y - h / 2, w, h);
        case 1 -> g.fillRect(x - w / 2, y - h / 2, w, h);
        default ->
            g.fillPolygon(new int[] {x, x + w, x - w / 2}, new int[] {y - h, y + h / 2, y + h}, 3);
      }
      g.drawLine(r.nextInt(width), r.nextInt(height), r.nextInt(width), r.nextInt(height));
    }
    g.dispose();
    return img;
  }

  private static List<BufferedImage> images(int n, long seed) {
    List<BufferedImage> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(drawn(seed + i, 120 + 40 * i, 160 - 20 * i));
    }
    return out;
  }

  /**
   * Preprocesses {@code images} as the tower expects at {@code size}: {@code [n, 3, size, size]}.
   */
  static NDArray batch(List<BufferedImage> images, int size, NDManager m) {
    int per = 3 * size * size;
    float[] values = new float[images.size() * per];
    for (int i = 0; i < images.size(); i++) {
      TrainableMobileNetV2.preprocessing(size).apply(images.get(i)).copyTo(values, i * per);
    }
    return m.create(values, new Shape(images.size(), 3, size, size));
  }

  @Test
  void pretrainedInference_reproducesTheLockedTowerAt224() {
    List<BufferedImage> images = images(4, 100);
    try (MobileNetV2Tower locked = MobileNetV2Tower.load();
        TrainableMobileNetV2 tower = TrainableMobileNetV2.builder(Init.PRETRAINED).build();
        NDManager m = NDManager.newBaseManager("PyTorch")) {
      float[] expected = locked.embedAll(images).matrix().toArray();
      NDArray out = tower.forward(batch(images, 224, m), ForwardMode.INFERENCE);
      assertEquals(new Shape(4, 576), out.getShape());
      assertEquals(locked.dimension(), tower.dimension());
      float[] actual = out.toFloatArray();
      double max = 0;
      for (int i = 0; i < actual.length; i++) {
        max = Math.max(max, Math.abs(actual[i] - expected[i]));
      }
      System.out.printf("trainable vs locked at 224 px: max |difference| %.3g%n", max);
      assertAllClose(expected, actual, 0, FOLDING_ATOL);
      for (int r = 0; r < 4; r++) {
        double norm = 0;
        for (int c = 0; c < 576; c++) {
          norm += (double) actual[r * 576 + c] * actual[r * 576 + c];
        }
        assertEquals(1, Math.sqrt(norm), 1e-5, "row " + r + " is a unit vector");
      }
    }
  }

  /**
   * Whether batch statistics cancel {@code name}'s gradient: a projection's batch norm is linear
   * and its output reaches the embedding only through the next block's 1×1 expansion, whose
   * training-mode batch norm subtracts the per-channel batch mean, so a per-channel shift β there
   * has no effect (in Keras as here). Inference-mode batch norm does not cancel it.
   */
  private static boolean cancelledInTraining(String name) {
    return name.endsWith("_project_BN/beta");
  }

  /**
   * SGD on a cosine-regression loss, 4 images at 64 px: three steps in training mode move every
   * parameter but the 13 projection shifts batch statistics cancel, and every moving statistic; one
   * step in inference mode moves those shifts and no moving statistic. On both initialisations; a
   * locked tower loaded beside them keeps every weight bit for bit.
   */
  @Test
  void sgdSteps_changeEveryParameterAndMovingStatistic_ofBothInits_notTheLockedTower() {
    try (MobileNetV2Tower locked = MobileNetV2Tower.load()) {
      Map<String, float[]> lockedBefore = locked.model().weightSnapshot();
      for (Init init : Init.values()) {
        try (TrainableMobileNetV2 tower = TrainableMobileNetV2.builder(init).seed(5).build()) {
          Map<String, FloatTensor> before = tower.weightSnapshot();
          assertEquals(TRAINABLE_TENSORS + 2 * 40, before.size());
          double[] losses = train(tower, ForwardMode.TRAINING, 3);
          System.out.printf("%s: training-mode losses %s%n", init, Arrays.toString(losses));
          assertTrue(
              losses[2] < losses[0], init + ": the loss went down: " + Arrays.toString(losses));
          Map<String, FloatTensor> trained = tower.weightSnapshot();
          for (String name : before.keySet()) {
            if (!cancelledInTraining(name)) {
              assertFalse(
                  Arrays.equals(before.get(name).toArray(), trained.get(name).toArray()),
                  init + ": " + name + " did not change");
            }
          }
          train(tower, ForwardMode.INFERENCE, 1);
          Map<String, FloatTensor> tuned = tower.weightSnapshot();
          assertEquals(13, before.keySet().stream().filter(n -> cancelledInTraining(n)).count());
          for (String name : before.keySet()) {
            boolean changed =
                !Arrays.equals(trained.get(name).toArray(), tuned.get(name).toArray());
            boolean buffer = tower.namedBuffers().containsKey(name);
            assertEquals(!buffer, changed, init + ", inference step: " + name);
          }
        }
      }
      Map<String, float[]> lockedAfter = locked.model().weightSnapshot();
      assertEquals(lockedBefore.keySet(), lockedAfter.keySet());
      // Bit identity, not closeness: nothing may have written to the locked weights.
      lockedBefore.forEach(
          (name, v) -> assertArrayEquals(v, lockedAfter.get(name), "locked weight " + name));
      assertFalse(locked.model().anyWeightRequiresGradient());
    }
  }

  /**
   * {@code steps} plain SGD steps (rate {@value #SGD_RATE}) on {@code −mean_i cos(e_i, t_i)}, with
   * fixed seeded unit targets {@code t_i}, forward in {@code mode}. Checks every gradient is finite
   * and every one not {@linkplain #cancelledInTraining cancelled} non-zero, and that cancelled ones
   * are below 1e-6 of the largest. Returns the loss before each step.
   */
  private static double[] train(TrainableMobileNetV2 tower, ForwardMode mode, int steps) {
    double[] losses = new double[steps];
    Random random = new Random(17);
    float[] t = new float[4 * tower.dimension()];
    for (int i = 0; i < t.length; i++) {
      t[i] = (float) random.nextGaussian();
    }
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray x = batch(images(4, 200), 64, m);
      NDArray raw = m.create(t, new Shape(4, tower.dimension()));
      NDArray targets = raw.div(raw.norm(new int[] {1}, true));
      for (int s = 0; s < steps; s++) {
        try (NDManager step = m.newSubManager()) {
          try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray e = tower.forward(x, mode);
            e.attach(step);
            NDArray loss = e.mul(targets).sum().div(-4f);
            loss.attach(step);
            losses[s] = loss.getFloat();
            gc.backward(loss);
          }
          Map<String, Double> largest = new java.util.HashMap<>();
          for (Map.Entry<String, Parameter> p : tower.namedParameters().entrySet()) {
            NDArray w = p.getValue().getArray();
            NDArray g = w.getGradient();
            g.attach(step);
            double max = 0;
            for (float v : g.toFloatArray()) {
              assertTrue(Float.isFinite(v), p.getKey() + " has a non-finite gradient");
              max = Math.max(max, Math.abs(v));
            }
            largest.put(p.getKey(), max);
            NDArray update = g.mul(SGD_RATE);
            update.attach(step);
            w.subi(update);
            g.subi(g); // PyTorch accumulates gradients across backward passes
          }
          double top = largest.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
          largest.forEach(
              (name, max) -> {
                if (mode == ForwardMode.TRAINING && cancelledInTraining(name)) {
                  assertTrue(max < 1e-6 * top, name + ": cancelled gradient " + max + " of " + top);
                } else {
                  assertTrue(max > 0, mode + ": " + name + " got no gradient");
                }
              });
        }
      }
    }
    return losses;
  }

  @Test
  void inferenceMode_leavesTheMovingStatisticsAlone_trainingModeMovesThem() {
    try (TrainableMobileNetV2 tower = TrainableMobileNetV2.builder(Init.PRETRAINED).build();
        NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray x = batch(images(2, 300), 96, m);
      Map<String, FloatTensor> before = tower.weightSnapshot();
      try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        gc.backward(tower.forward(x, ForwardMode.INFERENCE).sum());
      }
      Map<String, FloatTensor> afterInference = tower.weightSnapshot();
      before.forEach(
          (name, t) -> assertArrayEquals(t.toArray(), afterInference.get(name).toArray(), name));
      tower.forward(x, ForwardMode.TRAINING);
      Map<String, FloatTensor> afterTraining = tower.weightSnapshot();
      for (String name : tower.namedBuffers().keySet()) {
        assertFalse(
            Arrays.equals(before.get(name).toArray(), afterTraining.get(name).toArray()), name);
      }
      for (String name : tower.namedParameters().keySet()) {
        assertArrayEquals(before.get(name).toArray(), afterTraining.get(name).toArray(), name);
      }
    }
  }

  @Test
  void random_isReproducibleFromItsSeed_andDiffersFromOtherSeedsAndFromPretrained() {
    Map<String, FloatTensor> a;
    Map<String, FloatTensor> again;
    Map<String, FloatTensor> other;
    Map<String, FloatTensor> pretrained;
    try (TrainableMobileNetV2 t = TrainableMobileNetV2.builder(Init.RANDOM).seed(11).build()) {
      a = t.weightSnapshot();
      assertEquals(
          "TrainableMobileNetV2[RANDOM, seed=11, block_13_expand_relu, dim=576]", t.toString());
    }
    try (TrainableMobileNetV2 t = TrainableMobileNetV2.builder(Init.RANDOM).seed(11).build()) {
      again = t.weightSnapshot();
    }
    try (TrainableMobileNetV2 t = TrainableMobileNetV2.builder(Init.RANDOM).seed(12).build()) {
      other = t.weightSnapshot();
    }
    try (TrainableMobileNetV2 t = TrainableMobileNetV2.builder(Init.PRETRAINED).build()) {
      pretrained = t.weightSnapshot();
    }
    assertEquals(a.keySet(), pretrained.keySet());
    a.forEach((name, t) -> assertArrayEquals(t.toArray(), again.get(name).toArray(), name));
    for (String name : a.keySet()) {
      if (name.endsWith("kernel")) {
        assertFalse(Arrays.equals(a.get(name).toArray(), other.get(name).toArray()), name);
      }
      assertFalse(Arrays.equals(a.get(name).toArray(), pretrained.get(name).toArray()), name);
    }
  }

  @Test
  void namedParameters_areTheKernelsAndBatchNormGainsUpToThePooledLayer_onlyKernelsDecay() {
    try (TrainableMobileNetV2 tower = TrainableMobileNetV2.builder(Init.RANDOM).build()) {
      Map<String, Parameter> p = tower.namedParameters();
      assertEquals(TRAINABLE_TENSORS, p.size());
      assertEquals(
          598_976, p.values().stream().mapToLong(q -> q.getArray().getShape().size()).sum());
      assertEquals("Conv1/kernel", p.keySet().iterator().next());
      assertTrue(p.containsKey("block_13_expand_BN/gamma"));
      assertFalse(p.containsKey("block_13_depthwise/depthwise_kernel"), "after the pooled layer");
      for (Parameter q : p.values()) {
        boolean kernel = q.getType() == Parameter.Type.WEIGHT;
        assertEquals(kernel, q.getName().endsWith("kernel"), q.getName());
        assertEquals(kernel ? 4 : 1, q.getArray().getShape().dimension(), q.getName());
        assertTrue(q.getArray().hasGradient(), q.getName());
      }
      assertEquals(2 * 40, tower.namedBuffers().size());
      tower.namedBuffers().values().forEach(b -> assertFalse(b.getArray().hasGradient()));
    }
  }

  @Test
  void forward_returnsUnitRowsInTheCallersManager_andReleasesItsIntermediates() {
    try (TrainableMobileNetV2 tower = TrainableMobileNetV2.builder(Init.RANDOM).build();
        NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray x = batch(images(3, 400), 80, m);
      try (NDManager call = m.newSubManager()) {
        NDArray in = x.duplicate();
        in.attach(call);
        NDArray out = tower.forward(in, ForwardMode.TRAINING);
        assertEquals(new Shape(3, 576), out.getShape());
        assertEquals(call, out.getManager());
        float[] norms = out.norm(new int[] {1}).toFloatArray();
        for (float n : norms) {
          assertEquals(1f, n, 1e-5f);
        }
        long tensors =
            call.getManagedArrays().stream().filter(a -> a.getShape().dimension() > 0).count();
        assertEquals(3, tensors, "input, output and the norms; DJL's clip leaves scalars only");
      }
    }
  }

  @Test
  void badInput_isRejectedNamingTheValue() {
    try (TrainableMobileNetV2 tower = TrainableMobileNetV2.builder(Init.RANDOM).build();
        NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray small = m.zeros(new Shape(1, 3, 16, 48));
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> tower.forward(small, ForwardMode.TRAINING));
      assertTrue(e.getMessage().contains("16×48") && e.getMessage().contains("32"), e.getMessage());
      IllegalArgumentException pre =
          assertThrows(
              IllegalArgumentException.class, () -> TrainableMobileNetV2.preprocessing(31));
      assertTrue(pre.getMessage().contains("31×31"), pre.getMessage());
      NDArray gray = m.zeros(new Shape(2, 1, 64, 64));
      IllegalArgumentException channels =
          assertThrows(
              IllegalArgumentException.class, () -> tower.forward(gray, ForwardMode.INFERENCE));
      assertTrue(channels.getMessage().contains("1 channels"), channels.getMessage());
      NDArray flat = m.zeros(new Shape(3, 64, 64));
      IllegalArgumentException rank =
          assertThrows(
              IllegalArgumentException.class, () -> tower.forward(flat, ForwardMode.INFERENCE));
      assertTrue(rank.getMessage().contains("(3, 64, 64)"), rank.getMessage());
      NDArray doubles = m.zeros(new Shape(1, 3, 64, 64), DataType.FLOAT64);
      IllegalArgumentException dtype =
          assertThrows(
              IllegalArgumentException.class, () -> tower.forward(doubles, ForwardMode.INFERENCE));
      assertTrue(dtype.getMessage().contains("float32"), dtype.getMessage());
    }
    IllegalArgumentException layer =
        assertThrows(
            IllegalArgumentException.class,
            () -> TrainableMobileNetV2.builder(Init.RANDOM).layer("nope").build());
    assertTrue(layer.getMessage().contains("'nope'"), layer.getMessage());
    IllegalArgumentException dense =
        assertThrows(
            IllegalArgumentException.class,
            () -> TrainableMobileNetV2.builder(Init.RANDOM).layer("dense_3").build());
    assertTrue(dense.getMessage().contains("Dense"), dense.getMessage());
    IllegalArgumentException momentum =
        assertThrows(
            IllegalArgumentException.class,
            () -> TrainableMobileNetV2.builder(Init.RANDOM).batchNormMomentum(-0.1).build());
    assertTrue(momentum.getMessage().contains("-0.1"), momentum.getMessage());
  }

  @Test
  void useAfterClose_throws_andCloseIsIdempotent() {
    TrainableMobileNetV2 tower = TrainableMobileNetV2.builder(Init.RANDOM).build();
    tower.close();
    tower.close();
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray x = m.zeros(new Shape(1, 3, 64, 64));
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> tower.forward(x, ForwardMode.INFERENCE));
      assertEquals("TrainableMobileNetV2 is closed", e.getMessage());
    }
    assertThrows(IllegalStateException.class, tower::namedParameters);
    assertThrows(IllegalStateException.class, tower::weightSnapshot);
  }
}
