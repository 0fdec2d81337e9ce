package dev.lit4j.zeroshot;

import dev.lit4j.embedding.Embedding;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.loss.LossKind;
import dev.lit4j.model.ImageTower;
import dev.lit4j.model.LitModel;
import dev.lit4j.model.ScoreCalibration;
import dev.lit4j.progress.ProgressListener;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Zero-shot image classification with a {@link LitModel} (LiT, Zhai et al. 2022, §2; CLIP, Radford
 * et al. 2021, §3.1): every class label is turned into prompts by {@link PromptTemplates}, the
 * prompts are embedded by the text tower, and the class embedding is the mean of its normalised
 * prompt embeddings, re-normalised. An image is scored against every class by the cosine of its
 * embedding with the class embedding, calibrated by the model's {@link ScoreCalibration}:
 *
 * <ul>
 *   <li>{@link LossKind#SOFTMAX}: {@code score_k = softmax_k(t · cos)} over the classes;
 *   <li>{@link LossKind#SIGMOID}: {@code score_k = σ(t · cos_k + b)} independently per class.
 * </ul>
 *
 * <p>The class embeddings ({@code [K, D]}) are computed once, at construction, with a few batched
 * {@link dev.lit4j.model.TextTower#embedAll} calls, and cached: build a classifier once and reuse
 * it for every image. Labels are canonicalised by {@link Labels#canonicalize} before templating.
 * Construction is bound by the text tower, one pass per prompt ({@code labels × templates}): the
 * prompts go to {@code embedAll} in calls of up to 4,096, which the tower batches further, so the
 * tower runs at its full batched rate. With MiniLM-sized towers on two CPU cores that rate is about
 * 1,300 to 1,500 prompts/s (docs/BENCHMARKS.md): 1,000 labels × 80 templates take about a minute,
 * 10,000 labels about ten. Pass a listener to {@link Builder#progress} to see it advance, and
 * prefer {@link PromptTemplates#SIMPLE_7} for large label sets.
 *
 * <p><b>Labels the text tower cannot tell apart are refused.</b> If two or more labels get the same
 * class embedding (cosine ≥ 1 − 1e-6), construction throws an {@link IllegalArgumentException}
 * naming them: the classifier could only pick among them by index order. The usual cause is the
 * tokenizer: a word with a character outside its vocabulary becomes one {@code [UNK]} token, so
 * {@code "🐱"}, {@code "🐶"} and {@code "猫"} all give the prompt {@code "a photo of a [UNK]."}.
 * MiniLM's tokenizer (all-MiniLM-L6-v2; BERT's uncased English WordPiece vocabulary of 30,522
 * tokens, accents stripped) covers English words, Latin script (accented letters lose their
 * accents), and letter by letter the basic Greek, Cyrillic, Hebrew and Arabic alphabets and most
 * kana; it covers only some letters of Devanagari, Bengali, Tamil, Thai, Armenian and Georgian, 244
 * of the 20,992 common CJK ideographs (not 猫 or 狗), about one Hangul syllable in eight, and no
 * emoji. Spell such labels out in words ({@code "cat"} for {@code "🐱"}). The other cause is
 * truncation: prompts are cut at the tower's maximum length (16 tokens by default, as in LiT), so
 * long labels that differ only after the cut coincide; shorten them. The check compares class
 * embeddings, not tokens, so it works for every {@link dev.lit4j.model.TextTower}; for 10,000
 * labels it costs about a second, against minutes to embed their prompts.
 *
 * <p>Default templates: those the model declares ({@link LitModel#promptTemplates()}), else {@link
 * PromptTemplates#SIMPLE_7}. CLIP's prompt-engineering notebook selected these 7 of the 80 ImageNet
 * templates because they reach nearly the same accuracy, and they cost 11× fewer text-tower passes;
 * pass {@link PromptTemplates#CLIP_IMAGENET_80} to {@link Builder#templates} for the full ensemble.
 *
 * <p><b>Who closes what.</b> A classifier built on a caller's model ({@link #of(LitModel, List)},
 * {@link #builder}) keeps a reference to it and does not own it: the caller closes the model, and
 * {@link #close()} leaves it open. A classifier built by {@link #of(List)} or {@link #of(List,
 * PromptTemplates)} loaded the default model itself and owns it: {@link #close()} closes that
 * model, so use it in try-with-resources. Either way, {@link #classify(BufferedImage)} and {@link
 * #classifyAll(List)} run the image tower and need the model to stay open (they throw {@link
 * IllegalStateException} after it is closed), whereas {@link #classify(Embedding)} and {@link
 * #classifyAll(EmbeddingMatrix)} use only the cached class embeddings and work after the model is
 * closed.
 *
 * <p>Immutable and thread-safe after construction when the model's image tower is; {@link #close()}
 * must not race with classifying images.
 *
 * <pre>{@code
 * // the default model (dev.lit4j:lit-default-model on the class path), owned by the classifier
 * try (ZeroShotClassifier classifier = ZeroShotClassifier.of(List.of("cat", "dog"))) {
 *   ClassScore best = classifier.classify(image).best();
 * }
 * // a model of your own, owned by you
 * try (LitModel model = LitModel.load(Path.of("my-model"))) {
 *   ZeroShotClassifier classifier = ZeroShotClassifier.of(model, List.of("cat", "dog"));
 *   ClassScore best = classifier.classify(image).best();
 * }
 * }</pre>
 */
public final class ZeroShotClassifier implements AutoCloseable {
  /** Upper bound on the prompts embedded by one text-tower call, bounding the prompt batch. */
  static final int MAX_PROMPTS_PER_CALL = 4096;

  private final LitModel model;
  private final boolean ownsModel;
  private final ScoreCalibration calibration;
  private final ClassScores.ClassIndex classes;
  private final EmbeddingMatrix classEmbeddings;

  /** {@link #classEmbeddings} laid out for scoring. */
  private final ClassColumns classColumns;

  private ZeroShotClassifier(
      LitModel model,
      List<String> labels,
      PromptTemplates templates,
      ProgressListener progress,
      boolean ownsModel) {
    this.model = model;
    this.ownsModel = ownsModel;
    this.calibration = Objects.requireNonNull(model.calibration(), "model.calibration()");
    this.classes = ClassScores.ClassIndex.of(labels);
    this.classEmbeddings = ClassEmbeddings.compute(model.textTower(), labels, templates, progress);
    CoincidentClasses.reject(classEmbeddings, labels);
    this.classColumns = ClassColumns.of(classEmbeddings);
  }

  private ZeroShotClassifier(
      List<String> labels, EmbeddingMatrix classEmbeddings, ScoreCalibration calibration) {
    this.model = null;
    this.ownsModel = false;
    this.calibration = calibration;
    this.classes = ClassScores.ClassIndex.of(labels);
    this.classEmbeddings = classEmbeddings;
    this.classColumns = ClassColumns.of(classEmbeddings);
  }

  /**
   * Rebuilds a classifier from class embeddings computed earlier, for example by {@link
   * #classEmbeddings()} of a classifier on another machine: scoring is the same as that
   * classifier's, without a model. Such a classifier classifies embeddings only; {@link
   * #classify(BufferedImage)} and {@link #classifyAll(List)} throw {@link IllegalStateException}.
   * Nothing to close.
   *
   * <pre>{@code
   * ZeroShotClassifier onDriver = ZeroShotClassifier.of(model, labels);
   * ZeroShotClassifier elsewhere =
   *     ZeroShotClassifier.of(onDriver.labels(), onDriver.classEmbeddings(), model.calibration());
   * }</pre>
   *
   * @param labels the canonical labels in class-index order ({@link #labels()})
   * @param classEmbeddings {@code [K, D]} unit-norm rows, row k = class k
   * @param calibration how cosines become scores
   * @return a classifier of embeddings (it has no model, so it cannot classify images)
   * @throws IllegalArgumentException if the labels are empty or repeat, or their number differs
   *     from the rows of {@code classEmbeddings} (both are named)
   */
  public static ZeroShotClassifier of(
      List<String> labels, EmbeddingMatrix classEmbeddings, ScoreCalibration calibration) {
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(classEmbeddings, "classEmbeddings");
    Objects.requireNonNull(calibration, "calibration");
    if (labels.size() != classEmbeddings.size()) {
      throw new IllegalArgumentException(
          "need one class embedding per label, got "
              + labels.size()
              + " labels and "
              + classEmbeddings.size()
              + " class embeddings");
    }
    return new ZeroShotClassifier(List.copyOf(labels), classEmbeddings, calibration);
  }

  /**
   * Builds a classifier for {@code labels} with the default model ({@link LitModel#loadDefault()})
   * and its declared prompt templates, else {@link PromptTemplates#SIMPLE_7}. The classifier owns
   * the model and closes it in {@link #close()}. The labels are checked before the model is loaded;
   * if building fails after loading, the model is closed.
   *
   * @param labels the class labels in class-index order; canonicalised
   * @return the classifier; closing it closes the default model
   * @throws IllegalArgumentException if the labels are empty, blank or duplicated after
   *     canonicalisation (see {@link Labels#canonicalizeAll})
   * @throws IllegalStateException if no default model is on the class path (the message names the
   *     Maven artifact to add), or several are
   * @throws IOException if the default model cannot be materialised or read
   */
  public static ZeroShotClassifier of(List<String> labels) throws IOException {
    List<String> canonical = Labels.canonicalizeAll(labels);
    LitModel model = LitModel.loadDefault();
    return owning(model, canonical, defaultTemplates(model));
  }

  /**
   * Builds a classifier for {@code labels} with the default model ({@link LitModel#loadDefault()})
   * and the given prompt templates; otherwise as {@link #of(List)}.
   *
   * @param labels the class labels in class-index order; canonicalised
   * @param templates the prompt templates
   * @return the classifier; closing it closes the default model
   * @throws IllegalArgumentException if the labels are empty, blank or duplicated after
   *     canonicalisation (see {@link Labels#canonicalizeAll})
   * @throws IllegalStateException if no default model is on the class path (the message names the
   *     Maven artifact to add), or several are
   * @throws IOException if the default model cannot be materialised or read
   */
  public static ZeroShotClassifier of(List<String> labels, PromptTemplates templates)
      throws IOException {
    Objects.requireNonNull(templates, "templates");
    List<String> canonical = Labels.canonicalizeAll(labels);
    return owning(LitModel.loadDefault(), canonical, templates);
  }

  /**
   * A classifier that owns {@code model}: closes it in {@link #close()}, or at once if the class
   * embeddings cannot be computed.
   */
  static ZeroShotClassifier owning(
      LitModel model, List<String> canonicalLabels, PromptTemplates templates) {
    try {
      return new ZeroShotClassifier(
          model, canonicalLabels, templates, ProgressListener.silent(), true);
    } catch (RuntimeException | Error e) {
      try {
        model.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private static PromptTemplates defaultTemplates(LitModel model) {
    return model.promptTemplates().orElse(PromptTemplates.SIMPLE_7);
  }

  /**
   * Builds a classifier for {@code labels} with the model's declared prompt templates, else {@link
   * PromptTemplates#SIMPLE_7}. The caller keeps owning {@code model}.
   *
   * @param model an open model; it must stay open while images are classified
   * @param labels the class labels in class-index order; canonicalised
   * @return the classifier; closing it leaves {@code model} open
   * @throws IllegalArgumentException if the labels are empty, blank or duplicated after
   *     canonicalisation (see {@link Labels#canonicalizeAll})
   * @throws IllegalStateException if the model is closed
   */
  public static ZeroShotClassifier of(LitModel model, List<String> labels) {
    return builder(model, labels).build();
  }

  /**
   * Starts a builder for a classifier over {@code labels}.
   *
   * @param model an open model; it must stay open while images are classified
   * @param labels the class labels in class-index order; canonicalised
   * @return a builder; {@link Builder#build()} embeds the prompts
   * @throws NullPointerException if an argument is null
   */
  public static Builder builder(LitModel model, List<String> labels) {
    return new Builder(model, labels);
  }

  /**
   * Closes the model if this classifier owns it (built by {@link #of(List)} or {@link #of(List,
   * PromptTemplates)}); a classifier built on a caller's model leaves that model open. Idempotent.
   */
  @Override
  public void close() {
    if (ownsModel) {
      model.close();
    }
  }

  /** {@return the canonical class labels, in class-index order} */
  public List<String> labels() {
    return classes.labels();
  }

  /**
   * {@return the cached class embeddings: shape {@code [K, D]}, unit-norm rows, row k = class k}
   */
  public EmbeddingMatrix classEmbeddings() {
    return classEmbeddings;
  }

  /**
   * Classifies one image with the model's image tower.
   *
   * @param image the image, any size
   * @return the scores of all classes, best first
   * @throws IllegalStateException if the model is closed, or the classifier has no model (built by
   *     {@link #of(List, EmbeddingMatrix, ScoreCalibration)})
   */
  public ClassScores classify(BufferedImage image) {
    Objects.requireNonNull(image, "image");
    return classify(imageTower().embed(image));
  }

  /**
   * Classifies several images; element {@code i} belongs to {@code images[i]}.
   *
   * @param images one or more images
   * @return the scores of each image, in the order of {@code images}
   * @throws IllegalArgumentException if the list is empty or holds null (the index is named)
   * @throws IllegalStateException if the model is closed
   */
  public List<ClassScores> classifyAll(List<BufferedImage> images) {
    Objects.requireNonNull(images, "images");
    return classifyAll(imageTower().embedAll(images));
  }

  private ImageTower imageTower() {
    if (model == null) {
      throw new IllegalStateException(
          "this classifier was rebuilt from class embeddings and has no image tower; classify"
              + " embeddings, or build it with ZeroShotClassifier.of(model, labels)");
    }
    return model.imageTower();
  }

  /**
   * Classifies a pre-computed image embedding; needs no open model.
   *
   * @param imageEmbedding a unit-norm embedding from the model's image tower
   * @return the scores of all classes, best first
   * @throws IllegalArgumentException if its dimension differs from the class embeddings' (both are
   *     named)
   */
  public ClassScores classify(Embedding imageEmbedding) {
    Objects.requireNonNull(imageEmbedding, "imageEmbedding");
    return classifyAll(EmbeddingMatrix.of(List.of(imageEmbedding))).get(0);
  }

  /**
   * Classifies pre-computed image embeddings ({@code [N, D]}); element {@code i} belongs to row
   * {@code i}. Needs no open model.
   *
   * @param imageEmbeddings unit-norm embeddings from the model's image tower
   * @return the scores of each row, in row order
   * @throws IllegalArgumentException if their dimension differs from the class embeddings' (both
   *     are named)
   */
  public List<ClassScores> classifyAll(EmbeddingMatrix imageEmbeddings) {
    Objects.requireNonNull(imageEmbeddings, "imageEmbeddings");
    checkDimension(imageEmbeddings.dimension());
    float[] x = imageEmbeddings.matrix().toArray();
    int d = imageEmbeddings.dimension();
    int n = imageEmbeddings.size();
    int k = classEmbeddings.size();
    List<ClassScores> out = new ArrayList<>(n);
    float[][] acc = new float[ClassColumns.IMAGES_PER_PASS][k];
    for (int i0 = 0; i0 < n; i0 += ClassColumns.IMAGES_PER_PASS) {
      int images = Math.min(ClassColumns.IMAGES_PER_PASS, n - i0);
      classColumns.cosines(x, i0, images, d, acc);
      for (int i = 0; i < images; i++) {
        double[] cosines = new double[k];
        float[] a = acc[i];
        for (int c = 0; c < k; c++) {
          cosines[c] = a[c];
        }
        out.add(ClassScores.of(classes, Calibrated.scores(calibration, cosines), cosines));
      }
    }
    return List.copyOf(out);
  }

  private void checkDimension(int dimension) {
    if (dimension != classEmbeddings.dimension()) {
      throw new IllegalArgumentException(
          "image embedding dimension "
              + dimension
              + " differs from the class embedding dimension "
              + classEmbeddings.dimension()
              + "; embed images with the same model's image tower");
    }
  }

  /** Builds a {@link ZeroShotClassifier}; not thread-safe. */
  public static final class Builder {
    private final LitModel model;
    private final List<String> labels;
    private PromptTemplates templates;
    private ProgressListener progress = ProgressListener.silent();

    private Builder(LitModel model, List<String> labels) {
      this.model = Objects.requireNonNull(model, "model");
      // Copied without List.copyOf so that a null label reaches Labels with its index.
      this.labels = new ArrayList<>(Objects.requireNonNull(labels, "labels"));
    }

    /**
     * Sets the prompt templates (default: the model's {@linkplain LitModel#promptTemplates()
     * declared templates}, else {@link PromptTemplates#SIMPLE_7}).
     *
     * @param templates the prompt templates
     * @return this builder
     */
    public Builder templates(PromptTemplates templates) {
      this.templates = Objects.requireNonNull(templates, "templates");
      return this;
    }

    /**
     * Sets who is told about progress while {@link #build()} embeds the prompts (default: nobody).
     * Progress counts prompts ({@code labels × templates}) under the task name {@code "class
     * embeddings"}, and advances after each text-tower call, i.e. every 4,096 prompts or so (a few
     * seconds for a CPU tower); {@link ProgressListener#onFinish} is called once, also when the
     * text tower throws.
     *
     * <pre>{@code
     * ZeroShotClassifier.builder(model, labels)
     *     .templates(PromptTemplates.CLIP_IMAGENET_80)
     *     .progress(ConsoleProgressBar.to(System.err))
     *     .build();
     * }</pre>
     *
     * @param listener who is told
     * @return this builder
     */
    public Builder progress(ProgressListener listener) {
      this.progress = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Embeds the prompts and builds the classifier.
     *
     * @return the classifier
     * @throws IllegalArgumentException if the labels are empty, blank or duplicated after
     *     canonicalisation (see {@link Labels#canonicalizeAll}), or two or more labels get the same
     *     class embedding (all of them are named; see the class documentation)
     * @throws IllegalStateException if the model is closed
     */
    public ZeroShotClassifier build() {
      List<String> canonical = Labels.canonicalizeAll(labels);
      return new ZeroShotClassifier(
          model,
          canonical,
          templates != null ? templates : defaultTemplates(model),
          progress,
          false);
    }
  }
}
