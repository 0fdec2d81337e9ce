package dev.lit4j.pytorch.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.lit4j.pytorch.weights.FloatTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The registry of a tower's parameters under their BERT names ({@code
 * encoder.layer.0.attention.self.query.weight}, …): the names written to safetensors and read from
 * ONNX exports of BERT-family models, so weights map one-to-one.
 *
 * <p>Blocks declare parameters here while they are built; {@link #assign} then gives every
 * parameter its values, from a weight map or from the seeded from-scratch initialisation. Not
 * thread-safe; used while a tower is being built and read-only afterwards.
 */
final class TowerParameters {
  /** Standard deviation of BERT's from-scratch weight initialisation. */
  static final double INIT_STD = 0.02;

  /** Truncation of the normal initialisation, in standard deviations (BERT, big_vision). */
  static final double INIT_TRUNCATION = 2.0;

  /** How a parameter starts when no weights are given. */
  enum Init {
    /** Truncated normal, std {@link #INIT_STD}: weight matrices and embedding tables. */
    TRUNCATED_NORMAL,
    /** All ones: LayerNorm gains. */
    ONES,
    /** All zeros: biases. */
    ZEROS
  }

  /** One declared parameter. */
  record Spec(String name, Parameter parameter, int[] shape, Init init) {}

  private final Map<String, Spec> specs = new LinkedHashMap<>();

  /** Declares a weight matrix or embedding table (truncated normal init, weight decay applies). */
  Parameter matrix(String name, int rows, int cols) {
    return declare(name, Parameter.Type.WEIGHT, Init.TRUNCATED_NORMAL, rows, cols);
  }

  /** Declares a bias vector (zero init). */
  Parameter bias(String name, int size) {
    return declare(name, Parameter.Type.BIAS, Init.ZEROS, size);
  }

  /** Declares a LayerNorm gain (one init). */
  Parameter gain(String name, int size) {
    return declare(name, Parameter.Type.GAMMA, Init.ONES, size);
  }

  /** Declares a LayerNorm shift (zero init). */
  Parameter shift(String name, int size) {
    return declare(name, Parameter.Type.BETA, Init.ZEROS, size);
  }

  private Parameter declare(String name, Parameter.Type type, Init init, int... shape) {
    if (specs.containsKey(name)) {
      throw new IllegalStateException("parameter " + name + " declared twice");
    }
    Parameter p = Parameter.builder().setName(name).setType(type).build();
    specs.put(name, new Spec(name, p, shape, init));
    return p;
  }

  /** Returns the declared parameters in declaration order, by BERT name. */
  Map<String, Spec> specs() {
    return Collections.unmodifiableMap(specs);
  }

  /**
   * Gives every declared parameter its array in {@code manager}: the tensor of the same name from
   * {@code weights} when present, else the seeded initialisation. Every array requires gradients.
   *
   * @param optional names that may be missing from {@code weights} even when it is not empty
   * @throws IllegalArgumentException if {@code weights} is non-empty and lacks a required name,
   *     holds an unknown name, or a shape differs (names and shapes are given)
   */
  void assign(
      Map<String, FloatTensor> weights, List<String> optional, long seed, NDManager manager) {
    if (!weights.isEmpty()) {
      checkNames(weights, optional);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    for (Spec s : specs.values()) {
      FloatTensor given = weights.get(s.name());
      float[] values;
      if (given != null) {
        if (!given.hasShape(s.shape())) {
          throw new IllegalArgumentException(
              "weight "
                  + s.name()
                  + " has shape "
                  + Arrays.toString(given.shape())
                  + " but the configuration needs "
                  + Arrays.toString(s.shape()));
        }
        values = given.toArray();
      } else {
        values = initial(s, rng);
      }
      NDArray array = manager.create(values, new Shape(toLong(s.shape())));
      s.parameter().setArray(array);
      s.parameter().initialize(manager, DataType.FLOAT32); // only turns on requiresGradient
    }
  }

  private void checkNames(Map<String, FloatTensor> weights, List<String> optional) {
    TreeSet<String> missing = new TreeSet<>(specs.keySet());
    missing.removeAll(weights.keySet());
    missing.removeAll(optional);
    TreeSet<String> unknown = new TreeSet<>(weights.keySet());
    unknown.removeAll(specs.keySet());
    if (!missing.isEmpty() || !unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "weights do not fit the configuration: missing "
              + firstFew(missing)
              + ", unexpected "
              + firstFew(unknown)
              + "; check the layer count, pooling and parameter names");
    }
  }

  private static String firstFew(TreeSet<String> names) {
    List<String> list = new ArrayList<>(names);
    return list.size() <= 8
        ? list.toString()
        : list.subList(0, 8) + " and " + (list.size() - 8) + " more";
  }

  private static float[] initial(Spec s, SplittableRandom rng) {
    int size = 1;
    for (int d : s.shape()) {
      size *= d;
    }
    float[] v = new float[size];
    switch (s.init()) {
      case ONES -> Arrays.fill(v, 1f);
      case ZEROS -> {}
      case TRUNCATED_NORMAL -> {
        for (int i = 0; i < size; i++) {
          double g;
          do {
            g = rng.nextGaussian();
          } while (Math.abs(g) > INIT_TRUNCATION);
          v[i] = (float) (g * INIT_STD);
        }
      }
    }
    return v;
  }

  static long[] toLong(int[] shape) {
    long[] out = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      out[i] = shape[i];
    }
    return out;
  }
}
