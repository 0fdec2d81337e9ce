package dev.lit4j.pytorch.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.lit4j.loss.LossKind;
import dev.lit4j.loss.LossParameters;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.pytorch.kernel.NdRun.Form;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An engine smoke test of the whole training step a trainer will run: a trainable projection (the
 * text tower's head) and {@code log t} (and {@code b}), forward through the loss, backward, and one
 * DJL Adam step, which must move every parameter against its gradient and lower the loss.
 */
class NdTrainingStepTest {
  private static final int B = 24;
  private static final int HIDDEN = 12;
  private static final int D = 16;

  /** Adam's first step moves each entry by about lr against its gradient: small enough here. */
  private static final float LEARNING_RATE = 1e-3f;

  @ParameterizedTest(name = "{0}, {1}")
  @CsvSource({"SOFTMAX, FULL", "SOFTMAX, CHUNKED", "SIGMOID, FULL", "SIGMOID, CHUNKED"})
  void adamStep_movesParametersAgainstTheGradientAndLowersTheLoss(LossKind kind, Form form) {
    FloatMatrix images = Batches.unitRows(B, D, 51);
    FloatMatrix hidden = Batches.unitRows(B, HIDDEN, 52);
    FloatMatrix w0 = Batches.unitRows(HIDDEN, D, 53);
    LossParameters p = LossParameters.defaultsFor(kind);
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      NDArray x = m.create(images.toArray(), new Shape(B, D)); // locked tower: no gradient
      NDArray h = m.create(hidden.toArray(), new Shape(B, HIDDEN));
      NDArray w = m.create(w0.toArray(), new Shape(HIDDEN, D));
      NDArray logT = m.create(new float[] {(float) p.logTemperature()});
      NDArray bias = m.create(new float[] {(float) p.bias()});
      NDArray[] parameters = {w, logT, bias};
      for (NDArray a : parameters) {
        a.setRequiresGradient(true);
      }
      Optimizer adam =
          Optimizer.adam().optLearningRateTracker(Tracker.fixed(LEARNING_RATE)).build();

      float before;
      try (GradientCollector collector = m.getEngine().newGradientCollector()) {
        NDArray loss = NdRun.loss(kind, form, x, texts(h, w), logT, bias, 5);
        before = loss.getFloat();
        collector.backward(loss);
      }
      NDArray[] previous = new NDArray[parameters.length];
      NDArray[] gradients = new NDArray[parameters.length];
      for (int i = 0; i < parameters.length; i++) {
        previous[i] = parameters[i].duplicate();
        gradients[i] = parameters[i].getGradient().duplicate();
        adam.update("p" + i, parameters[i], parameters[i].getGradient());
      }
      for (int i = 0; i < parameters.length; i++) {
        boolean used = kind == LossKind.SIGMOID || parameters[i] != bias;
        float step = parameters[i].sub(previous[i]).mul(gradients[i]).sum().getFloat();
        if (used) {
          assertTrue(step < 0, "parameter " + i + " moved along its gradient: Δ·g = " + step);
        }
      }

      float after;
      try (GradientCollector collector = m.getEngine().newGradientCollector()) {
        after = NdRun.loss(kind, form, x, texts(h, w), logT, bias, 5).getFloat();
      }
      assertTrue(after < before, "loss " + before + " → " + after + " after one Adam step");
    }
  }

  /** The text tower's head: normalise(H W). */
  private static NDArray texts(NDArray h, NDArray w) {
    NDArray projected = h.matMul(w);
    return projected.div(projected.norm(new int[] {1}, true));
  }
}
