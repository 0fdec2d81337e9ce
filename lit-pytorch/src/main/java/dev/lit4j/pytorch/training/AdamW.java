package dev.lit4j.pytorch.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lit4j.training.TrainerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Adam with decoupled weight decay (Loshchilov &amp; Hutter 2019), written on NDArrays so that its
 * whole state — the first and second moments of every parameter and the step count — can be
 * checkpointed and restored bit-exactly. For parameter {@code w} with gradient {@code g} at step
 * {@code k ≥ 1} and learning rate {@code η}:
 *
 * <pre>
 *   w ← w − η·λ·w                  (only where {@link TrainableParameter#decays()})
 *   m ← β₁ m + (1 − β₁) g
 *   v ← β₂ v + (1 − β₂) g²
 *   w ← w − η · (m / (1 − β₁ᵏ)) / (√(v / (1 − β₂ᵏ)) + ε)
 * </pre>
 *
 * the update of {@code torch.optim.AdamW}. Moments are float32 and live in this optimiser's own
 * {@link NDManager}, on the parameters' device.
 *
 * <p>Why not DJL's {@code ai.djl.training.optimizer.AdamW} (checked in DJL 0.36.0): it keeps the
 * moments in private maps with no way to read or restore them, so a resumed run could not continue
 * bit-exactly; and it applies one weight decay and one learning rate to every parameter, where
 * lit4j exempts biases, norms and the temperature from decay and gives parameter groups their own
 * learning-rate factor.
 *
 * <p>Two kernels compute this same update ({@link Kernel}): the default {@link Kernel#FUSED} makes
 * one pass over each CPU tensor's memory with no temporaries ({@link FusedAdamUpdate}); {@link
 * Kernel#REFERENCE}, the original, issues the libtorch operations of the formula above one by one,
 * each into a new temporary, and serves every tensor the fused kernel does not accept (a GPU, a
 * dtype other than float32, a rank-0 scalar). They agree to the last bit but for libtorch's square
 * root, which is not correctly rounded (see {@link FusedAdamUpdate}): a weight can differ by one
 * ulp after a step. The system property {@value #KERNEL_PROPERTY} ({@code fused} or {@code
 * reference}), read when an optimiser is built, selects the kernel, so that a benchmark can run
 * both in one process.
 *
 * <p>Why not DJL's fused {@code adamUpdate} ({@code torchAdamUpdate} in DJL 0.36.0's native code):
 * it is not this arithmetic. It adds {@code ε} to {@code √v} and folds the bias correction {@code
 * √(1 − β₂ᵏ)} into the learning rate, so its effective {@code ε} is {@code ε / √(1 − β₂ᵏ)}; it
 * decays as {@code w − (w·η)·λ}, rounded differently from {@code w·(1 − η·λ)}; it clamps gradients
 * from above when given a clip value; and it still allocates a gradient clone and four temporaries
 * per tensor.
 *
 * <p>Not thread-safe. Closing releases the moments; idempotent.
 */
final class AdamW implements AutoCloseable {
  /**
   * The system property that selects the {@link Kernel}: {@code fused} (default) or {@code
   * reference}.
   */
  static final String KERNEL_PROPERTY = "lit4j.adamw";

  /** How an update is computed; both kernels give bit-identical results. */
  enum Kernel {
    /** One pass per CPU float32 tensor, in place, no temporaries ({@link FusedAdamUpdate}). */
    FUSED,
    /** One libtorch operation per term of the update, each into a temporary. */
    REFERENCE;

    /**
     * Returns the kernel named by {@value #KERNEL_PROPERTY}, {@link #FUSED} when it is unset.
     *
     * @throws IllegalArgumentException if the property names neither kernel
     */
    static Kernel fromSystemProperty() {
      String value = System.getProperty(KERNEL_PROPERTY, "fused").trim();
      for (Kernel k : values()) {
        if (k.name().equalsIgnoreCase(value)) {
          return k;
        }
      }
      throw new IllegalArgumentException(
          "system property "
              + KERNEL_PROPERTY
              + " = '"
              + value
              + "' names no AdamW kernel; use 'fused' (the default) or 'reference'");
    }
  }

  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final double weightDecay;
  private final NDManager manager;
  private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
  private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
  private final Kernel kernel;
  private final FusedAdamUpdate fused = new FusedAdamUpdate();
  private long steps;
  private boolean closed;

  /** An optimiser with the kernel named by {@value #KERNEL_PROPERTY}. */
  /**
   * The optimiser {@code config} describes (its betas, epsilon and weight decay), with the kernel
   * of the system property {@value #KERNEL_PROPERTY}: the one a trainer of that configuration uses.
   */
  static AdamW of(TrainerConfig config, NDManager parent) {
    return new AdamW(
        parent, config.adamBeta1(), config.adamBeta2(), config.adamEpsilon(), config.weightDecay());
  }

  AdamW(NDManager parent, double beta1, double beta2, double epsilon, double weightDecay) {
    this(parent, beta1, beta2, epsilon, weightDecay, Kernel.fromSystemProperty());
  }

  AdamW(
      NDManager parent,
      double beta1,
      double beta2,
      double epsilon,
      double weightDecay,
      Kernel kernel) {
    this.kernel = Objects.requireNonNull(kernel, "kernel");
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.weightDecay = weightDecay;
    this.manager = parent.newSubManager();
  }

  /** Returns the kernel this optimiser computes updates with. */
  Kernel kernel() {
    return kernel;
  }

  /** Returns the number of updates applied. */
  long steps() {
    return steps;
  }

  /**
   * Applies one update to every parameter in place, with {@code gradients.get(i)} the gradient of
   * {@code parameters.get(i)}. Temporaries are attached to {@code scope} and freed with it.
   */
  void update(
      List<TrainableParameter> parameters,
      List<NDArray> gradients,
      double learningRate,
      NDManager scope) {
    checkOpen();
    if (parameters.size() != gradients.size()) {
      throw new IllegalArgumentException(
          parameters.size() + " parameters but " + gradients.size() + " gradients");
    }
    TrainingEvents.OptimizerUpdate event = new TrainingEvents.OptimizerUpdate();
    event.begin();
    steps++;
    double correction1 = 1 - Math.pow(beta1, steps);
    double correction2 = 1 - Math.pow(beta2, steps);
    for (int i = 0; i < parameters.size(); i++) {
      TrainableParameter p = parameters.get(i);
      double rate = learningRate * p.learningRateFactor();
      NDArray w = p.array();
      NDArray g = gradients.get(i);
      NDArray m = firstMoments.computeIfAbsent(p.name(), k -> zerosLike(w));
      NDArray v = secondMoments.computeIfAbsent(p.name(), k -> zerosLike(w));
      boolean decays = p.decays() && weightDecay != 0;
      if (kernel == Kernel.FUSED && fused.accepts(w, g, m, v)) {
        fused.apply(
            w,
            g,
            m,
            v,
            new FusedAdamUpdate.Scalars(
                (float) (1 - rate * weightDecay),
                decays,
                (float) beta1,
                (float) (1 - beta1),
                (float) beta2,
                (float) (1 - beta2),
                (float) correction2,
                (float) epsilon,
                (float) (rate / correction1)));
      } else {
        referenceUpdate(w, g, m, v, decays, rate, correction1, correction2, scope);
      }
    }
    if (event.shouldCommit()) {
      event.kernel = kernel.name();
      event.tensors = parameters.size();
      event.values = parameters.stream().mapToLong(p -> p.array().getShape().size()).sum();
      event.commit();
    }
  }

  /** The update as one libtorch operation per term, each into a temporary freed with scope. */
  private void referenceUpdate(
      NDArray w,
      NDArray g,
      NDArray m,
      NDArray v,
      boolean decays,
      double rate,
      double correction1,
      double correction2,
      NDManager scope) {
    if (decays) {
      w.muli(1 - rate * weightDecay);
    }
    m.muli(beta1).addi(scoped(g.mul(1 - beta1), scope));
    v.muli(beta2).addi(scoped(g.square(), scope).muli(1 - beta2));
    NDArray secondHat = scoped(v.div(correction2), scope);
    NDArray denominator = scoped(secondHat.sqrt(), scope).addi(epsilon);
    NDArray step = scoped(m.mul(rate / correction1), scope).divi(denominator);
    w.subi(step);
  }

  private static NDArray scoped(NDArray temporary, NDManager scope) {
    temporary.attach(scope);
    return temporary;
  }

  private NDArray zerosLike(NDArray w) {
    return manager.zeros(w.getShape(), w.getDataType(), w.getDevice());
  }

  /** Returns the first moments by parameter name (live arrays; do not close). */
  Map<String, NDArray> firstMoments() {
    checkOpen();
    return firstMoments;
  }

  /** Returns the second moments by parameter name (live arrays; do not close). */
  Map<String, NDArray> secondMoments() {
    checkOpen();
    return secondMoments;
  }

  /**
   * Restores the state written by a checkpoint: the step count and, for every parameter, both
   * moments (copied onto this optimiser's manager and the parameter's device).
   *
   * @throws IllegalArgumentException if a parameter's moment is missing or has the wrong shape
   */
  void restore(
      long steps,
      List<TrainableParameter> parameters,
      Map<String, float[]> first,
      Map<String, float[]> second) {
    checkOpen();
    if (steps < 0) {
      throw new IllegalArgumentException("optimiser step count must be >= 0, got " + steps);
    }
    List<String> missing = new ArrayList<>();
    for (TrainableParameter p : parameters) {
      if (steps > 0 && (!first.containsKey(p.name()) || !second.containsKey(p.name()))) {
        missing.add(p.name());
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "checkpoint lacks optimiser moments for parameters " + missing);
    }
    firstMoments.values().forEach(NDArray::close);
    secondMoments.values().forEach(NDArray::close);
    firstMoments.clear();
    secondMoments.clear();
    for (TrainableParameter p : parameters) {
      if (first.containsKey(p.name())) {
        firstMoments.put(p.name(), moment(p, first.get(p.name())));
        secondMoments.put(p.name(), moment(p, second.get(p.name())));
      }
    }
    this.steps = steps;
  }

  private NDArray moment(TrainableParameter p, float[] values) {
    Objects.requireNonNull(values, p.name());
    long expected = p.array().getShape().size();
    if (values.length != expected) {
      throw new IllegalArgumentException(
          "optimiser moment of "
              + p.name()
              + " has "
              + values.length
              + " values, the parameter has "
              + expected);
    }
    return manager.create(values, p.array().getShape());
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("AdamW optimiser is closed");
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      manager.close();
    }
  }
}
