package dev.lit4j.pytorch.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.model.TextTower;
import dev.lit4j.progress.ProgressListener;
import dev.lit4j.progress.ProgressTracker;
import dev.lit4j.pytorch.text.TransformerTextTower;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@link TransformerTextTower} as a {@link TrainableTextTower} whose encoder is locked: only {@code
 * projection.weight} and {@code projection.bias} train ({@link
 * dev.lit4j.training.TextTraining#PROJECTION}).
 *
 * <p>Since the encoder never changes, its pooled output for a caption is the same at every step: it
 * is computed once, in inference mode, the first time the caption is drawn, and kept on the heap
 * ({@code W} floats per distinct caption, 1.5 KB for MiniLM). A step is then the projection, the
 * loss and their gradients. The result is the arithmetic of the full forward pass with frozen
 * encoder weights, so the saved tower embeds exactly as during training.
 *
 * <p>One device only. Not thread-safe.
 */
final class ProjectionTrainable implements TrainableTextTower {
  private static final int ENCODE_BATCH = 256;
  private static final int ENCODE_CHUNK = 4 * ENCODE_BATCH;

  private final TransformerTextTower tower;
  private final List<TrainableParameter> parameters;
  private final Map<String, float[]> pooled;

  /**
   * @param cache where pooled outputs are kept; bound to (or checked against) this tower's encoder
   * @throws IllegalArgumentException if the cache holds another encoder's features
   */
  ProjectionTrainable(TransformerTextTower tower, CaptionFeatureCache cache) {
    this.tower = tower;
    cache.bind(tower.encoderChecksum());
    this.pooled = cache.features();
    Map<String, Parameter> named = tower.namedParameters();
    List<TrainableParameter> list = new ArrayList<>();
    for (String name : List.of("projection.weight", "projection.bias")) {
      Parameter p = named.get(name);
      if (p == null) {
        throw new IllegalArgumentException(
            "the text tower has no parameter '" + name + "'; its parameters are " + named.keySet());
      }
      list.add(new TrainableParameter(name, p.getArray()));
    }
    this.parameters = List.copyOf(list);
  }

  @Override
  public Device mainDevice() {
    return parameters.get(0).array().getDevice();
  }

  @Override
  public int dimension() {
    return tower.dimension();
  }

  /**
   * Runs the locked encoder once over every distinct caption of {@code captions} not yet cached,
   * reporting captions encoded to {@code progress}, so that the steps that follow are fast; stops
   * early, between chunks of captions, once {@code stopRequested} says so.
   */
  void encodeAll(
      List<List<String>> captions, ProgressListener progress, BooleanSupplier stopRequested) {
    List<String> all = missing(captions.stream().flatMap(List::stream).toList());
    ProgressTracker tracker =
        ProgressTracker.start(
            "encoding captions", "captions", all.size(), 0, progress, InstantSource.system());
    try {
      for (int from = 0; from < all.size() && !stopRequested.getAsBoolean(); from += ENCODE_CHUNK) {
        List<String> chunk = all.subList(from, Math.min(all.size(), from + ENCODE_CHUNK));
        encode(chunk);
        tracker.advance(chunk.size());
      }
    } finally {
      tracker.finish();
    }
  }

  /** Returns the distinct texts of {@code texts} that are not cached yet, in first-seen order. */
  private List<String> missing(List<String> texts) {
    LinkedHashSet<String> out = new LinkedHashSet<>();
    for (String t : texts) {
      if (!pooled.containsKey(t)) {
        out.add(t);
      }
    }
    return List.copyOf(out);
  }

  private void encode(List<String> list) {
    FloatMatrix features = tower.pooledFeatures(list, ENCODE_BATCH);
    for (int i = 0; i < list.size(); i++) {
      pooled.put(list.get(i), features.row(i));
    }
  }

  @Override
  public TextForward forward(List<String> texts, NDManager scope) {
    List<String> missing = missing(texts);
    if (!missing.isEmpty()) {
      encode(missing);
    }
    int w = tower.config().width();
    float[] batch = new float[texts.size() * w];
    for (int i = 0; i < texts.size(); i++) {
      System.arraycopy(pooled.get(texts.get(i)), 0, batch, i * w, w);
    }
    NDArray x = scope.create(batch, new Shape(texts.size(), w));
    return TextForward.local(tower.projectPooled(new ParameterStore(scope, false), x, true));
  }

  @Override
  public List<TrainableParameter> parameters() {
    return parameters;
  }

  @Override
  public TextTower tower() {
    return tower;
  }
}
