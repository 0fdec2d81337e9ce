package dev.lit4j.pytorch.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.lit4j.loss.LossKind;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.training.ImageHead;
import dev.lit4j.training.TrainerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One LiT training step on one device (LiT, Zhai et al. 2022, §3): the locked image side is a batch
 * of pre-computed embeddings (the image tower never runs), the text tower runs forward under a
 * {@link GradientCollector}, then the contrastive loss, backward, global-norm gradient clipping
 * over every trainable tensor (text tower, {@code log t}, {@code b}, image head), an {@link AdamW}
 * update, and the clamp {@code log t ≤ log t_max}.
 *
 * <p>With {@link TrainerConfig#lossChunkSize()} {@code = c > 0} the loss is computed chunked: its
 * value and its gradients with respect to the embeddings are computed {@code c} rows of logits at a
 * time outside autograd, then pushed through the text tower by one backward pass of a surrogate
 * scalar whose gradients equal the loss's (the "gradient cache" of Gao et al. 2021; see {@link
 * dev.lit4j.pytorch.kernel.NdContrastiveLosses}). Only {@code c × B} logits are ever held.
 *
 * <p>The image side is either a batch of host embeddings (the locked path above) or, for training
 * from raw images with an unlocked image tower ({@link RawImageTrainer}), an {@link ImageForward}
 * run under the same {@link GradientCollector} as the text tower, whose parameters (given to the
 * constructor) are clipped and updated with the others.
 *
 * <p>Owns the loss scalars and the optional head (their own sub-manager); borrows the text tower.
 * Every array made during a step lives in that step's sub-manager and is freed at its end. Not
 * thread-safe.
 */
final class ContrastiveStep implements AutoCloseable {
  static final String LOG_TEMPERATURE = "logit_scale";
  static final String BIAS = "logit_bias";
  static final String IMAGE_HEAD = "image_head.weight";

  private final TrainerConfig config;
  private final TrainableTextTower text;
  private final BatchLoss loss;
  private final NDManager manager;
  private final NDArray logTemperature;
  private final NDArray bias;
  private final NDArray head;
  private final List<TrainableParameter> parameters;
  private final double maxLogTemperature;
  private boolean closed;

  ContrastiveStep(
      TrainerConfig config,
      TrainableTextTower text,
      int imageDimension,
      BatchLoss loss,
      NDManager parent) {
    this(config, text, imageDimension, List.of(), loss, parent);
  }

  /**
   * A step that also trains an image tower.
   *
   * @param imageParameters the image tower's trainable tensors, which an {@link ImageForward} given
   *     to {@link #run(ImageForward, List, double, AdamW, int)} reads; empty for the locked path
   */
  ContrastiveStep(
      TrainerConfig config,
      TrainableTextTower text,
      int imageDimension,
      List<TrainableParameter> imageParameters,
      BatchLoss loss,
      NDManager parent) {
    this.config = config;
    this.text = text;
    this.loss = loss;
    this.manager = parent.newSubManager();
    this.maxLogTemperature = Math.log(config.maxTemperature());
    List<TrainableParameter> params = new ArrayList<>(text.parameters());
    this.logTemperature = trainable(manager.create((float) Math.log(config.initialTemperature())));
    params.add(
        new TrainableParameter(
            LOG_TEMPERATURE, logTemperature, config.temperatureLearningRateFactor()));
    if (config.loss() == LossKind.SIGMOID) {
      this.bias = trainable(manager.create((float) config.initialBias()));
      params.add(new TrainableParameter(BIAS, bias, config.temperatureLearningRateFactor()));
    } else {
      // The softmax loss is invariant to a shared bias; it stays a constant 0 and is not trained.
      this.bias = manager.create(0f);
    }
    if (config.imageHead() == ImageHead.LINEAR) {
      if (imageDimension != text.dimension()) {
        throw new IllegalArgumentException(
            "a linear image head is square: image dimension "
                + imageDimension
                + " must equal the text tower's "
                + text.dimension());
      }
      this.head = trainable(manager.eye(imageDimension));
      params.add(new TrainableParameter(IMAGE_HEAD, head));
    } else {
      this.head = null;
    }
    params.addAll(imageParameters);
    this.parameters = List.copyOf(params);
  }

  private static NDArray trainable(NDArray a) {
    a.setRequiresGradient(true);
    return a;
  }

  /**
   * Returns every trainable tensor: the text tower's, then {@code log t}, {@code b}, the head, then
   * the image tower's (if trained).
   */
  List<TrainableParameter> parameters() {
    return parameters;
  }

  /** Returns the current {@code log t}. */
  double logTemperature() {
    return logTemperature.getFloat();
  }

  /** Returns the current bias (0 for softmax). */
  double bias() {
    return bias.getFloat();
  }

  /** Returns the image head {@code W} ({@code [D, D]}), if this run trains one. */
  Optional<FloatMatrix> headWeight() {
    if (head == null) {
      return Optional.empty();
    }
    int d = Math.toIntExact(head.getShape().get(0));
    return Optional.of(FloatMatrix.wrap(d, d, head.toFloatArray()));
  }

  /**
   * Runs one step and updates the parameters in place.
   *
   * @param images {@code [B, D]} row-major image embeddings (host)
   * @param captions {@code B} captions, row {@code i} pairs with image {@code i}
   * @param learningRate this step's learning rate
   * @param optimizer the optimiser holding the moments of {@link #parameters()}
   * @param stepNumber the 1-based step number, for error messages
   * @throws NonFiniteLossException if the loss or the gradient norm is NaN or infinite; the
   *     parameters are then left as they were before the step
   */
  Outcome run(
      float[] images, List<String> captions, double learningRate, AdamW optimizer, int stepNumber) {
    return run(hostImages(images, captions.size()), captions, learningRate, optimizer, stepNumber);
  }

  /**
   * Runs one step whose image embeddings {@code images} computes under the step's gradient
   * collector, and updates the parameters in place.
   *
   * @param images computes the {@code [B, D]} image embeddings, row {@code i} pairing with caption
   *     {@code i}
   * @see #run(float[], List, double, AdamW, int)
   */
  Outcome run(
      ImageForward images,
      List<String> captions,
      double learningRate,
      AdamW optimizer,
      int stepNumber) {
    checkOpen();
    TrainingEvents.Step event = new TrainingEvents.Step();
    event.begin();
    // Dropout and any other engine randomness of this step depend on (seed, step) only, so a
    // resumed
    // run draws the same numbers as an uninterrupted one.
    Engine.getEngine("PyTorch").setRandomSeed((int) (config.seed() * 1_000_003L + stepNumber));
    try (NDManager scope = manager.newSubManager()) {
      try {
        Backward back = backward(images, captions, stepNumber, scope);
        double norm = globalNorm(back.gradients());
        checkFinite(norm, "gradient norm", stepNumber);
        if (norm > config.gradientClipNorm()) {
          // optax.clip_by_global_norm: g · c / ‖g‖ when ‖g‖ > c, as big_vision.
          double factor = config.gradientClipNorm() / norm;
          for (NDArray g : back.gradients()) {
            g.muli(factor);
          }
        }
        optimizer.update(parameters, back.gradients(), learningRate, scope);
        if (logTemperature.getFloat() > maxLogTemperature) {
          logTemperature.set(new float[] {(float) maxLogTemperature});
        }
        return new Outcome(back.loss(), norm);
      } finally {
        zeroGradients();
        if (event.shouldCommit()) {
          event.step = stepNumber;
          event.batchSize = captions.size();
          event.commit();
        }
      }
    }
  }

  /**
   * Computes the loss and the gradients of every parameter without updating anything, copied to the
   * heap by parameter name; for tests of the gradient path.
   */
  Map<String, float[]> gradients(float[] images, List<String> captions, double[] lossOut) {
    checkOpen();
    try (NDManager scope = manager.newSubManager()) {
      try {
        Backward back = backward(hostImages(images, captions.size()), captions, 1, scope);
        lossOut[0] = back.loss();
        Map<String, float[]> out = new LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
          out.put(parameters.get(i).name(), back.gradients().get(i).toFloatArray());
        }
        return out;
      } finally {
        zeroGradients();
      }
    }
  }

  /** Forward and backward; the gradients (one per parameter, in order) belong to {@code scope}. */
  private Backward backward(
      ImageForward images, List<String> captions, int stepNumber, NDManager scope) {
    float lossValue;
    Map<NDArray, NDArray> remote;
    try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
      NDArray x = images.embed(scope);
      TextForward y = text.forward(captions, scope);
      NDArray xi = head == null ? x : normalise(x.matMul(scoped(head.transpose(), scope)));
      NDArray value = loss.value(xi, y.embeddings(), logTemperature, bias);
      lossValue = value.getFloat();
      checkFinite(lossValue, "loss", stepNumber);
      collector.backward(value);
      remote = y.backwardRemoteShards(collector, scope);
    }
    List<NDArray> gradients = new ArrayList<>(parameters.size());
    for (TrainableParameter p : parameters) {
      NDArray own = scoped(p.array().getGradient(), scope);
      // Out of place, so this path writes no tensor autograd owns. (The intermittent NaN and
      // infinite gradients once blamed on an in-place add here came from scalar operands that
      // DJL had freed before backward; see NdScalars.)
      NDArray fromReplicas = remote.get(p.array());
      gradients.add(fromReplicas == null ? own : scoped(own.add(fromReplicas), scope));
    }
    return new Backward(lossValue, gradients);
  }

  private record Backward(double loss, List<NDArray> gradients) {}

  /** Pre-computed {@code [b, D]} row-major embeddings as an image side: a constant of the graph. */
  private static ImageForward hostImages(float[] images, int b) {
    return scope -> scope.create(images, new Shape(b, images.length / b));
  }

  /**
   * The image side of a step: computes the batch's image embeddings. Called once per step, inside
   * the step's {@link GradientCollector}, so that an image tower run here gets gradients.
   */
  @FunctionalInterface
  interface ImageForward {
    /**
     * @param scope the step's manager, which must own the result
     * @return {@code [B, D]} float32 unit-norm rows on the step's device
     */
    NDArray embed(NDManager scope);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("training step is closed");
    }
  }

  private static NDArray normalise(NDArray rows) {
    return rows.div(rows.norm(new int[] {1}, true));
  }

  /** Attaches {@code a} to {@code scope} and returns it. */
  static NDArray scoped(NDArray a, NDManager scope) {
    a.attach(scope);
    return a;
  }

  /** Returns {@code sqrt(Σ ‖g‖²)}, each square sum reduced on the device, summed in float64. */
  private static double globalNorm(List<NDArray> gradients) {
    double sumSq = 0;
    for (NDArray g : gradients) {
      sumSq += g.square().sum().getFloat();
    }
    return Math.sqrt(sumSq);
  }

  private static void checkFinite(double value, String what, int step) {
    if (!Double.isFinite(value)) {
      throw new NonFiniteLossException(
          "training diverged: the "
              + what
              + " at step "
              + step
              + " is "
              + value
              + "; the parameters keep their values from before this step (the last checkpoint"
              + " is intact); lower the learning rate or the initial temperature and resume from"
              + " the last checkpoint");
    }
  }

  private void zeroGradients() {
    for (TrainableParameter p : parameters) {
      JniUtils.zeroGrad((PtNDArray) p.array());
    }
  }

  /**
   * The measurements of one step.
   *
   * @param loss the loss before the update
   * @param gradientNorm the global gradient norm before clipping
   */
  record Outcome(double loss, double gradientNorm) {}

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      manager.close();
    }
  }
}
