package dev.lit4j.pytorch.image;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.image.ImagePreprocessing;
import dev.lit4j.image.TensorLayout;
import dev.lit4j.io.AtomicFiles;
import dev.lit4j.io.Checksums;
import dev.lit4j.model.ImageTower;
import dev.lit4j.model.TowerIdentity;
import dev.lit4j.pytorch.internal.EngineStart;
import dev.lit4j.spi.SavableTower;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A locked image tower from any TorchScript image model ({@code torch.jit.trace} or {@code
 * torch.jit.script}, saved with {@code .save()}), with a declared {@link ImagePreprocessing}, a
 * choice of output ({@link ModelOutput}) and optional global average pooling ({@link
 * FeaturePooling}); the feature is L2-normalised.
 *
 * <p>The model runs in inference mode with its parameters loaded as not trainable; it is never
 * attached to a trainer. Loading runs one probe batch of zeros, so a wrong input size, output
 * selection or pooling is reported at load, not at the first image.
 *
 * <p>Thread-safety: embedding calls are serialised on the tower (TorchScript modules switch
 * training mode per call); {@link #close()} must not race them.
 *
 * <pre>{@code
 * ImagePreprocessing pre = ImagePreprocessing.centerCrop(224, 0.875)
 *     .withNormalisation(ValueRange.UNIT, List.of(0.485, 0.456, 0.406), List.of(0.229, 0.224, 0.225));
 * try (TorchScriptImageTower tower = TorchScriptImageTower.load(
 *     Path.of("resnet.pt"), pre, ModelOutput.only(), FeaturePooling.GLOBAL_AVERAGE)) {
 *   Embedding e = tower.embed(image);
 * }
 * }</pre>
 */
public final class TorchScriptImageTower implements ImageTower, SavableTower {

  /** Images per forward pass in {@link #embedAll}. */
  public static final int BATCH_SIZE = 32;

  private final Model model;
  private final Block block;
  private final NDManager manager;
  private final Path modelFile;
  private final ImagePreprocessing preprocessing;
  private final ModelOutput output;
  private final FeaturePooling pooling;
  private final TowerIdentity identity;
  private int dimension;
  private boolean closed;

  private TorchScriptImageTower(
      Model model,
      Path modelFile,
      String sha256,
      ImagePreprocessing preprocessing,
      ModelOutput output,
      FeaturePooling pooling) {
    this.model = model;
    this.block = model.getBlock();
    this.manager = model.getNDManager().newSubManager();
    this.modelFile = modelFile;
    this.preprocessing = preprocessing;
    this.output = output;
    this.pooling = pooling;
    this.identity =
        new TowerIdentity(
            "torchscript[" + output.describe() + ", " + pooling + "]",
            sha256,
            preprocessing.describe() + ";output=" + output.describe() + ";pool=" + pooling + ";l2");
  }

  /**
   * Loads a TorchScript model file.
   *
   * @param modelFile the {@code .pt} file
   * @param preprocessing how images become the model's input (size, normalisation, layout)
   * @param output which output of {@code forward} is the feature
   * @param pooling how that output becomes {@code [N, D]}
   * @return the tower; the caller closes it
   * @throws NoSuchFileException if {@code modelFile} does not exist (named)
   * @throws IOException if it cannot be read
   * @throws IllegalArgumentException if it is not a TorchScript model, or a probe batch shows the
   *     preprocessing's input size, the output selection or the pooling does not fit the model (the
   *     message names the bad value and what the model offers)
   */
  public static TorchScriptImageTower load(
      Path modelFile, ImagePreprocessing preprocessing, ModelOutput output, FeaturePooling pooling)
      throws IOException {
    Objects.requireNonNull(modelFile, "modelFile");
    Objects.requireNonNull(preprocessing, "preprocessing");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(pooling, "pooling");
    if (!Files.isRegularFile(modelFile)) {
      throw new NoSuchFileException(
          modelFile.toString(), null, "TorchScript model file not found; pass the .pt file");
    }
    String sha256 = Checksums.sha256Hex(modelFile);
    Model model = EngineStart.engine().newModel("torchscript-image-tower", null);
    try {
      model.load(modelFile, null, Map.of("trainParam", "false"));
      TorchScriptImageTower tower =
          new TorchScriptImageTower(model, modelFile, sha256, preprocessing, output, pooling);
      tower.probe();
      return tower;
    } catch (MalformedModelException | EngineException e) {
      model.close();
      throw new IllegalArgumentException(
          modelFile + " is not a loadable TorchScript model: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  private void probe() {
    int s = preprocessing.inputSize();
    Shape shape =
        preprocessing.layout() == TensorLayout.NCHW ? new Shape(1, 3, s, s) : new Shape(1, s, s, 3);
    try (NDManager call = manager.newSubManager()) {
      NDArray features;
      try {
        features = features(call.zeros(shape));
      } catch (EngineException e) {
        throw new IllegalArgumentException(
            "the model rejects input "
                + shape
                + " (preprocessing inputSize "
                + s
                + ", layout "
                + preprocessing.layout()
                + "); declare the input size and layout the model was built for. Cause: "
                + firstLine(e.getMessage()),
            e);
      }
      dimension = (int) features.getShape().get(1);
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** Runs the model, selects the output and pools it; {@code [N, D]} in the batch's manager. */
  private NDArray features(NDArray batch) {
    NDList outputs =
        block.forward(new ParameterStore(batch.getManager(), false), new NDList(batch), false);
    NDArray selected = select(outputs);
    long rank = selected.getShape().dimension();
    if (pooling == FeaturePooling.GLOBAL_AVERAGE) {
      if (rank != 4) {
        throw new IllegalArgumentException(
            "output "
                + output.describe()
                + " has shape "
                + selected.getShape()
                + "; GLOBAL_AVERAGE pooling needs [N, C, H, W], use FeaturePooling.NONE");
      }
      return BatchedInference.globalAveragePool(selected);
    }
    if (rank != 2) {
      throw new IllegalArgumentException(
          "output "
              + output.describe()
              + " has shape "
              + selected.getShape()
              + "; without pooling it must be [N, D]"
              + (rank == 4 ? ", use FeaturePooling.GLOBAL_AVERAGE" : ""));
    }
    return selected;
  }

  private NDArray select(NDList outputs) {
    if (output instanceof ModelOutput.ByIndex i) {
      if (i.index() >= outputs.size()) {
        throw new IllegalArgumentException(
            "output index "
                + i.index()
                + " is out of range: the model returns "
                + outputs.size()
                + " outputs "
                + describe(outputs)
                + "; use an index in [0, "
                + (outputs.size() - 1)
                + "]");
      }
      return outputs.get(i.index());
    }
    if (output instanceof ModelOutput.ByKey k) {
      for (NDArray a : outputs) {
        if (k.key().equals(a.getName())) {
          return a;
        }
      }
      throw new IllegalArgumentException(
          "the model has no output named '" + k.key() + "'; its outputs are " + describe(outputs));
    }
    if (outputs.size() != 1) {
      throw new IllegalArgumentException(
          "the model returns "
              + outputs.size()
              + " outputs "
              + describe(outputs)
              + "; choose one with ModelOutput.index(i) or ModelOutput.key(name)");
    }
    return outputs.get(0);
  }

  private static String describe(NDList outputs) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < outputs.size(); i++) {
      NDArray a = outputs.get(i);
      parts.add(
          (a.getName() == null ? String.valueOf(i) : "'" + a.getName() + "'") + " " + a.getShape());
    }
    return parts.toString();
  }

  /** {@return the declared preprocessing} */
  public ImagePreprocessing preprocessing() {
    return preprocessing;
  }

  /** {@return the output selection} */
  public ModelOutput output() {
    return output;
  }

  /** {@return the pooling} */
  public FeaturePooling pooling() {
    return pooling;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public TowerIdentity identity() {
    return identity;
  }

  @Override
  public synchronized EmbeddingMatrix embedAll(List<BufferedImage> images) {
    ensureOpen();
    return BatchedInference.embedAll(images, preprocessing, BATCH_SIZE, manager, this::features);
  }

  /** Copies every parameter of the TorchScript module to the heap, keyed by name (for audits). */
  synchronized Map<String, float[]> parameterSnapshot() {
    ensureOpen();
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      out.put(p.getKey(), p.getValue().getArray().toFloatArray());
    }
    return out;
  }

  /** Whether any module parameter requires a gradient (never: loaded with trainParam=false). */
  synchronized boolean anyParameterRequiresGradient() {
    ensureOpen();
    for (Pair<String, Parameter> p : block.getParameters()) {
      if (p.getValue().requiresGradient() || p.getValue().getArray().hasGradient()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String formatId() {
    return TorchScriptImageTowerFormat.FORMAT_ID;
  }

  /**
   * Copies the {@code .pt} file to {@value TorchScriptImageTowerFormat#MODEL_FILE} and writes the
   * preprocessing, output selection, pooling and checksum to {@value
   * TorchScriptImageTowerFormat#CONFIG_FILE}.
   */
  @Override
  public synchronized void saveTo(Path towerDirectory) throws IOException {
    ensureOpen();
    Objects.requireNonNull(towerDirectory, "towerDirectory");
    AtomicFiles.copy(modelFile, towerDirectory.resolve(TorchScriptImageTowerFormat.MODEL_FILE));
    JsonObject config = new JsonObject();
    config.add("preprocessing", JsonParser.parseString(preprocessing.toJson()));
    config.addProperty("output", output.describe());
    config.addProperty("pooling", pooling.name());
    config.addProperty("sha256", identity.checksum());
    AtomicFiles.writeString(
        towerDirectory.resolve(TorchScriptImageTowerFormat.CONFIG_FILE),
        TowerFiles.GSON.toJson(config));
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("TorchScriptImageTower is closed");
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      manager.close();
      model.close();
    }
  }

  @Override
  public String toString() {
    return "TorchScriptImageTower["
        + modelFile.getFileName()
        + ", "
        + output.describe()
        + ", dim="
        + dimension
        + "]";
  }
}
