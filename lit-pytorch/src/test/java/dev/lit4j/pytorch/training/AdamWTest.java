package dev.lit4j.pytorch.training;

import static dev.lit4j.testing.NumericAssertions.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lit4j.loss.LossKind;
import dev.lit4j.pytorch.text.TransformerTextTower;
import dev.lit4j.training.ImageHead;
import dev.lit4j.training.TrainerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fused AdamW kernel against the reference (the original libtorch-operation kernel) on the real
 * engine. Both round every element-wise operation once to float32 in the same order, except the
 * square root, which libtorch does not round correctly (see {@link FusedAdamUpdate}). So from the
 * same state and gradients the moments are compared bit for bit (a tolerance would hide a reordered
 * operation) and the weights within {@link #WEIGHT_RTOL}; over training steps, where the gradients
 * depend on the weights, everything is compared within {@link #TRAINING_RTOL}.
 */
class AdamWTest {
  /**
   * A one-ulp denominator changes a step by a relative 2⁻²³ (≤ 1.2·10⁻⁷ of lr ≤ 6·10⁻³ here), and
   * rounding the weight adds at most one ulp of it per step: six steps stay well within 1·10⁻⁶ of
   * weights of order 1, and within {@link #WEIGHT_ATOL} of weights near zero.
   */
  private static final double WEIGHT_RTOL = 1e-6;

  private static final double WEIGHT_ATOL = 1e-9;

  /**
   * Over five training steps a weight difference of a few ulps moves the next gradients by a few
   * float32 ulps too; parameters and moments stay within 1·10⁻⁵ relative.
   */
  private static final double TRAINING_RTOL = 1e-5;

  /** Moments near zero (second moments of order g² ~ 10⁻¹²) are compared absolutely. */
  private static final double TRAINING_ATOL = 1e-9;

  private static final int D = 8;

  @Test
  void fusedKernel_matchesTheReferenceBitForBit_stepByStep_onSyntheticParameters() {
    // A decaying matrix spanning several chunks (with a partial last chunk and rows of zero
    // gradient, as unused rows of a word table), a non-decaying vector with a learning-rate
    // factor, and a scalar with a large factor.
    long[][] shapes = {{3, 16_411}, {257}, {}};
    double[] factors = {1, 3, 10};
    try (NDManager manager = NDManager.newBaseManager("PyTorch");
        AdamW fused = new AdamW(manager, 0.9, 0.999, 1e-8, 0.05, AdamW.Kernel.FUSED);
        AdamW reference = new AdamW(manager, 0.9, 0.999, 1e-8, 0.05, AdamW.Kernel.REFERENCE)) {
      Random random = new Random(11);
      List<TrainableParameter> a = new ArrayList<>();
      List<TrainableParameter> b = new ArrayList<>();
      for (int i = 0; i < shapes.length; i++) {
        Shape shape = new Shape(shapes[i]);
        float[] init = gaussian(random, shape.size(), 1);
        a.add(new TrainableParameter("p" + i, manager.create(init, shape), factors[i]));
        b.add(new TrainableParameter("p" + i, manager.create(init, shape), factors[i]));
      }
      assertTrue(a.get(0).decays() && !a.get(1).decays(), "test covers both decay cases");
      float untouched = a.get(0).array().getFloat(0, 0);
      for (int step = 1; step <= 6; step++) {
        double lr = 1e-3 * step; // a schedule: the step's rate changes
        try (NDManager scope = manager.newSubManager()) {
          List<NDArray> ga = new ArrayList<>();
          List<NDArray> gb = new ArrayList<>();
          for (TrainableParameter p : a) {
            float[] g = gaussian(random, p.array().getShape().size(), Math.pow(10, -step));
            if (p.array().getShape().dimension() == 2) {
              java.util.Arrays.fill(g, 0, 16_411, 0f); // row 0 never has a gradient
            }
            ga.add(scope.create(g, p.array().getShape()));
            gb.add(scope.create(g, p.array().getShape()));
          }
          fused.update(a, ga, lr, scope);
          reference.update(b, gb, lr, scope);
        }
        assertStateEqual(a, fused, reference, "step " + step);
        for (int i = 0; i < a.size(); i++) {
          String what = a.get(i).name() + " at step " + step;
          if (a.get(i).array().getShape().dimension() == 0) {
            // A scalar stays on the reference kernel (libtorch computes it in float64).
            assertBitsEqual(b.get(i).array(), a.get(i).array(), what);
          } else {
            assertAllClose(
                b.get(i).array().toFloatArray(),
                a.get(i).array().toFloatArray(),
                WEIGHT_RTOL,
                WEIGHT_ATOL);
          }
        }
      }
      // The decayed row with no gradient moved (decay applies to the whole table).
      assertNotEquals(untouched, a.get(0).array().getFloat(0, 0));
    }
  }

  @Test
  void fusedKernel_matchesTheReferenceBitForBit_overTrainingStepsOfAFromScratchTower() {
    // Sigmoid loss (trained bias), a linear image head (a decaying matrix) and a temperature
    // learning-rate factor of 10: every kind of parameter the trainer updates.
    TrainerConfig config =
        TrainerConfig.builder(Path.of("unused"))
            .loss(LossKind.SIGMOID)
            .imageHead(ImageHead.LINEAR)
            .temperatureLearningRateFactor(10)
            .weightDecay(0.1)
            .build();
    Random random = new Random(5);
    List<String> captions = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      captions.add("a photo of a " + TrainerFixtures.CLASSES.get(i));
    }
    try (TransformerTextTower fusedTower = TrainerFixtures.tinyTower(D, 3);
        TransformerTextTower referenceTower = TrainerFixtures.tinyTower(D, 3);
        NDManager manager = NDManager.newBaseManager("PyTorch");
        ContrastiveStep fusedStep = step(config, fusedTower, manager);
        ContrastiveStep referenceStep = step(config, referenceTower, manager);
        AdamW fused = new AdamW(manager, 0.9, 0.98, 1e-6, 0.1, AdamW.Kernel.FUSED);
        AdamW reference = new AdamW(manager, 0.9, 0.98, 1e-6, 0.1, AdamW.Kernel.REFERENCE)) {
      for (int s = 1; s <= 5; s++) {
        float[] images = gaussian(random, (long) captions.size() * D, 1);
        double lr = 2e-3 / s;
        fusedStep.run(images, captions, lr, fused, s);
        referenceStep.run(images, captions, lr, reference, s);
        List<TrainableParameter> pa = fusedStep.parameters();
        List<TrainableParameter> pb = referenceStep.parameters();
        assertEquals(pb.size(), pa.size());
        for (int i = 0; i < pa.size(); i++) {
          String name = pa.get(i).name();
          assertEquals(pb.get(i).name(), name);
          assertAllClose(
              pb.get(i).array().toFloatArray(),
              pa.get(i).array().toFloatArray(),
              TRAINING_RTOL,
              TRAINING_ATOL);
          assertAllClose(
              reference.firstMoments().get(name).toFloatArray(),
              fused.firstMoments().get(name).toFloatArray(),
              TRAINING_RTOL,
              TRAINING_ATOL);
          assertAllClose(
              reference.secondMoments().get(name).toFloatArray(),
              fused.secondMoments().get(name).toFloatArray(),
              TRAINING_RTOL,
              TRAINING_ATOL);
        }
      }
    }
  }

  private static ContrastiveStep step(
      TrainerConfig config, TransformerTextTower tower, NDManager manager) {
    return new ContrastiveStep(
        config, new TransformerTrainable(tower), D, BatchLoss.of(config.loss(), 0), manager);
  }

  @Test
  void fusedKernel_declinesAWeightWhoseBufferIsACopy_andTheUpdateStillMatches() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch");
        AdamW fused = new AdamW(manager, 0.9, 0.999, 1e-8, 0.01, AdamW.Kernel.FUSED);
        AdamW reference = new AdamW(manager, 0.9, 0.999, 1e-8, 0.01, AdamW.Kernel.REFERENCE)) {
      Random random = new Random(2);
      float[] init = gaussian(random, 12, 1);
      // A transposed view is not contiguous: its direct buffer would be a copy.
      NDArray view = manager.create(init, new Shape(3, 4)).transpose();
      NDArray plain = manager.create(view.toFloatArray(), new Shape(4, 3));
      NDArray g = manager.create(gaussian(random, 12, 1), new Shape(4, 3));
      FusedAdamUpdate kernel = new FusedAdamUpdate();
      assertFalse(
          kernel.accepts(view, g, manager.zeros(view.getShape()), manager.zeros(view.getShape())));
      assertTrue(
          kernel.accepts(
              plain, g, manager.zeros(plain.getShape()), manager.zeros(plain.getShape())));
      float[] before = view.toFloatArray();
      fused.update(List.of(new TrainableParameter("w", view)), List.of(g), 1e-2, manager);
      reference.update(List.of(new TrainableParameter("w", plain)), List.of(g), 1e-2, manager);
      assertFalse(java.util.Arrays.equals(before, view.toFloatArray()), "the view was updated");
      assertAllClose(plain.toFloatArray(), view.toFloatArray(), WEIGHT_RTOL, WEIGHT_ATOL);
    }
  }

  @Test
  void kernelProperty_namingNoKernel_throwsNamingTheValueAndTheChoices() {
    String previous = System.getProperty(AdamW.KERNEL_PROPERTY);
    System.setProperty(AdamW.KERNEL_PROPERTY, "turbo");
    try {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, AdamW.Kernel::fromSystemProperty);
      assertTrue(
          e.getMessage().contains("'turbo'") && e.getMessage().contains("'reference'"),
          e.getMessage());
      System.setProperty(AdamW.KERNEL_PROPERTY, "Reference");
      assertEquals(AdamW.Kernel.REFERENCE, AdamW.Kernel.fromSystemProperty());
    } finally {
      if (previous == null) {
        System.clearProperty(AdamW.KERNEL_PROPERTY);
      } else {
        System.setProperty(AdamW.KERNEL_PROPERTY, previous);
      }
    }
    if (previous == null) {
      assertEquals(AdamW.Kernel.FUSED, AdamW.Kernel.fromSystemProperty());
    }
  }

  @Test
  void fusedUpdate_makesNoArrays() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch");
        AdamW fused = new AdamW(manager, 0.9, 0.999, 1e-8, 0.01, AdamW.Kernel.FUSED)) {
      Random random = new Random(4);
      NDArray w = manager.create(gaussian(random, 64, 1), new Shape(8, 8));
      NDArray g = manager.create(gaussian(random, 64, 1), new Shape(8, 8));
      List<TrainableParameter> p = List.of(new TrainableParameter("w", w));
      try (NDManager scope = manager.newSubManager()) {
        fused.update(p, List.of(g), 1e-3, scope); // creates the moments
        fused.update(p, List.of(g), 1e-3, scope);
        assertEquals(0, scope.getManagedArrays().size(), "temporaries made by a fused step");
      }
    }
  }

  private static void assertStateEqual(
      List<TrainableParameter> params, AdamW fused, AdamW reference, String when) {
    for (TrainableParameter p : params) {
      assertBitsEqual(
          reference.firstMoments().get(p.name()), fused.firstMoments().get(p.name()), when);
      assertBitsEqual(
          reference.secondMoments().get(p.name()), fused.secondMoments().get(p.name()), when);
    }
  }

  /** Asserts equal bit patterns (so −0 ≠ +0 and NaN payloads count), naming the first index. */
  private static void assertBitsEqual(NDArray expected, NDArray actual, String what) {
    float[] e = expected.toFloatArray();
    float[] a = actual.toFloatArray();
    assertEquals(e.length, a.length, what);
    for (int i = 0; i < e.length; i++) {
      if (Float.floatToRawIntBits(e[i]) != Float.floatToRawIntBits(a[i])) {
        fail(what + " differs at index " + i + ": reference " + e[i] + ", fused " + a[i]);
      }
    }
  }

  private static float[] gaussian(Random random, long n, double scale) {
    float[] v = new float[Math.toIntExact(n)];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (random.nextGaussian() * scale);
    }
    return v;
  }
}
