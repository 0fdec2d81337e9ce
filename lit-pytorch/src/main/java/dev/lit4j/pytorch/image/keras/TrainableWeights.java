package dev.lit4j.pytorch.image.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The registry of a trainable model's weights under their Keras names ({@code Conv1/kernel}, {@code
 * bn_Conv1/gamma}, …), each created in the model's manager as it is declared, either from the
 * imported values or from the seeded from-scratch initialisation.
 *
 * <p>Parameters (trainable, {@code requiresGradient}) and buffers (the moving statistics, updated
 * in place by a training forward pass, never by an optimiser) are kept apart. {@link
 * Parameter#getType()} says what each is: {@code WEIGHT} for kernels, {@code BIAS}, {@code GAMMA},
 * {@code BETA}, {@code RUNNING_MEAN}, {@code RUNNING_VAR}.
 *
 * <p>From scratch ({@link Start#RANDOM}): kernels He/Kaiming normal, {@code N(0, 2 / fanIn)}, not
 * truncated (PyTorch's {@code kaiming_normal_} with mode {@code fan_in} and ReLU gain; Keras'
 * {@code he_normal} truncates at two standard deviations and rescales); biases 0, gains 1, shifts
 * 0, moving means 0, moving variances 1. Values are drawn from one {@link SplittableRandom} in
 * declaration (topological) order, so a seed gives the same weights in every run.
 *
 * <p>Not thread-safe; used while a model is built and read-only afterwards.
 */
final class TrainableWeights {

  /** Where the values come from. */
  enum Start {
    /** The imported weights. */
    PRETRAINED,
    /** The seeded from-scratch initialisation. */
    RANDOM
  }

  private final NDManager manager;
  private final Start start;
  private final SplittableRandom random;
  private final Map<String, Parameter> parameters = new LinkedHashMap<>();
  private final Map<String, Parameter> buffers = new LinkedHashMap<>();

  TrainableWeights(NDManager manager, Start start, long seed) {
    this.manager = manager;
    this.start = start;
    this.random = new SplittableRandom(seed);
  }

  /** Declares a convolution kernel in PyTorch layout (He normal from scratch; decayed). */
  Parameter kernel(String name, Shape shape, int fanIn, Supplier<float[]> imported) {
    double std = Math.sqrt(2.0 / fanIn);
    return declare(
        parameters,
        name,
        Parameter.Type.WEIGHT,
        shape,
        imported,
        () -> {
          float[] v = new float[Math.toIntExact(shape.size())];
          for (int i = 0; i < v.length; i++) {
            v[i] = (float) (random.nextGaussian() * std);
          }
          return v;
        });
  }

  /** Declares a bias (0 from scratch). */
  Parameter bias(String name, Shape shape, Supplier<float[]> imported) {
    return declare(parameters, name, Parameter.Type.BIAS, shape, imported, filled(shape, 0));
  }

  /** Declares a batch-normalisation gain, Keras' {@code gamma} (1 from scratch). */
  Parameter gamma(String name, Shape shape, Supplier<float[]> imported) {
    return declare(parameters, name, Parameter.Type.GAMMA, shape, imported, filled(shape, 1));
  }

  /** Declares a batch-normalisation shift, Keras' {@code beta} (0 from scratch). */
  Parameter beta(String name, Shape shape, Supplier<float[]> imported) {
    return declare(parameters, name, Parameter.Type.BETA, shape, imported, filled(shape, 0));
  }

  /** Declares a moving mean, a buffer (0 from scratch). */
  Parameter movingMean(String name, Shape shape, Supplier<float[]> imported) {
    return declare(buffers, name, Parameter.Type.RUNNING_MEAN, shape, imported, filled(shape, 0));
  }

  /** Declares a moving variance, a buffer (1 from scratch). */
  Parameter movingVariance(String name, Shape shape, Supplier<float[]> imported) {
    return declare(buffers, name, Parameter.Type.RUNNING_VAR, shape, imported, filled(shape, 1));
  }

  /** {@return a constant array, neither parameter nor buffer (a gain a layer does not learn)} */
  NDArray constant(Shape shape, float value) {
    return manager.full(shape, value);
  }

  private static Supplier<float[]> filled(Shape shape, float value) {
    return () -> {
      float[] v = new float[Math.toIntExact(shape.size())];
      Arrays.fill(v, value);
      return v;
    };
  }

  private Parameter declare(
      Map<String, Parameter> into,
      String name,
      Parameter.Type type,
      Shape shape,
      Supplier<float[]> imported,
      Supplier<float[]> fromScratch) {
    if (parameters.containsKey(name) || buffers.containsKey(name)) {
      throw new IllegalArgumentException("weight '" + name + "' is declared twice");
    }
    float[] values = start == Start.PRETRAINED ? imported.get() : fromScratch.get();
    if (values.length != shape.size()) {
      throw new IllegalArgumentException(
          "weight '" + name + "' has " + values.length + " values for shape " + shape);
    }
    boolean trainable = into == parameters;
    Parameter p =
        Parameter.builder().setName(name).setType(type).optRequiresGrad(trainable).build();
    NDArray array = manager.create(values, shape);
    p.setArray(array);
    p.initialize(manager, DataType.FLOAT32); // only turns on requiresGradient (if trainable)
    into.put(name, p);
    return p;
  }

  /** {@return the trainable parameters in declaration order} */
  Map<String, Parameter> parameters() {
    return Collections.unmodifiableMap(parameters);
  }

  /** {@return the buffers (moving statistics) in declaration order} */
  Map<String, Parameter> buffers() {
    return Collections.unmodifiableMap(buffers);
  }
}
