package dev.lit4j.zeroshot;

import static dev.lit4j.testing.NumericAssertions.FLOAT32_RTOL;
import static dev.lit4j.testing.NumericAssertions.assertAllClose;
import static dev.lit4j.testing.NumericAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.embedding.Embedding;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.loss.LossKind;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.model.LitModel;
import dev.lit4j.model.ScoreCalibration;
import dev.lit4j.model.TextTower;
import dev.lit4j.model.TowerIdentity;
import dev.lit4j.progress.Progress;
import dev.lit4j.progress.ProgressListener;
import dev.lit4j.testing.ColourImageTower;
import dev.lit4j.testing.HashingTextTower;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ZeroShotClassifierTest {
  private static final int DIM = 64;

  /** Unit norm of float32 rows normalised in float64: a few float32 ulps. */
  private static final double NORM_ATOL = 1e-6;

  private static final ScoreCalibration SIGMOID = new ScoreCalibration(LossKind.SIGMOID, 10, -10);

  private final HashingTextTower text = new HashingTextTower(DIM, 7);
  private final ColourImageTower image =
      ColourImageTower.of(text.embed("red"), text.embed("green"), text.embed("blue"));
  private final LitModel model = LitModel.of(image, text, ScoreCalibration.SOFTMAX_DEFAULT);

  @AfterEach
  void closeModel() {
    model.close();
  }

  @Test
  void classify_picksTheLabelWhoseWordsTheImageEmbeddingShares() {
    ZeroShotClassifier c = ZeroShotClassifier.of(model, List.of("cat", "dog", "car"));
    assertEquals("dog", c.classify(text.embed("a photo of a dog")).best().label());
    assertEquals("car", c.classify(text.embed("a car")).best().label());
  }

  @Test
  void of_classEmbeddings_scoresExactlyAsTheClassifierTheyCameFrom() {
    ZeroShotClassifier original =
        ZeroShotClassifier.of(model, List.of("cat", "dog", "car", "red bus"));
    ZeroShotClassifier rebuilt =
        ZeroShotClassifier.of(
            original.labels(), original.classEmbeddings(), ScoreCalibration.SOFTMAX_DEFAULT);
    EmbeddingMatrix images =
        EmbeddingMatrix.of(
            List.of(text.embed("a dog"), text.embed("a red car"), text.embed("car")));
    List<ClassScores> expected = original.classifyAll(images);
    List<ClassScores> actual = rebuilt.classifyAll(images);
    for (int i = 0; i < images.size(); i++) {
      assertEquals(expected.get(i).ranked(), actual.get(i).ranked());
    }
  }

  @Test
  void of_classEmbeddings_withoutModel_refusesImages() {
    ZeroShotClassifier original = ZeroShotClassifier.of(model, List.of("red", "green"));
    ZeroShotClassifier rebuilt =
        ZeroShotClassifier.of(
            original.labels(), original.classEmbeddings(), ScoreCalibration.SOFTMAX_DEFAULT);
    BufferedImage red = ColourImageTower.solid(0xff0000, 4);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> rebuilt.classify(red));
    assertTrue(e.getMessage().contains("no image tower"), e.getMessage());
  }

  @Test
  void of_classEmbeddings_withMoreLabelsThanRows_throws() {
    EmbeddingMatrix rows = EmbeddingMatrix.of(List.of(text.embed("cat")));
    List<String> labels = List.of("cat", "dog");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ZeroShotClassifier.of(labels, rows, ScoreCalibration.SOFTMAX_DEFAULT));
    assertTrue(e.getMessage().contains("2 labels and 1 class embeddings"), e.getMessage());
  }

  @Test
  void classify_withImage_usesTheImageTower() {
    ZeroShotClassifier c = ZeroShotClassifier.of(model, List.of("Red", "green", "blue"));
    assertEquals("red", c.classify(ColourImageTower.solid(0xff0000, 4)).best().label());
    assertEquals("blue", c.classify(ColourImageTower.solid(0x0000ff, 4)).best().label());
  }

  @Test
  void classifyAll_withImages_matchesClassifyingOneByOne() {
    ZeroShotClassifier c = ZeroShotClassifier.of(model, List.of("red", "green", "blue"));
    List<BufferedImage> images =
        List.of(ColourImageTower.solid(0x00ff00, 3), ColourImageTower.solid(0x8040c0, 3));
    List<ClassScores> all = c.classifyAll(images);
    assertEquals(2, all.size());
    for (int i = 0; i < images.size(); i++) {
      assertEquals(c.classify(images.get(i)).ranked(), all.get(i).ranked());
    }
    assertEquals("green", all.get(0).best().label());
  }

  @Test
  void classify_softmaxScores_sumToOneAndMatchAFloat64Reference() {
    ZeroShotClassifier c = ZeroShotClassifier.of(model, List.of("cat", "dog", "car", "tree"));
    Embedding x = text.embed("a dog near a tree");
    ClassScores scores = c.classify(x);
    double t = ScoreCalibration.SOFTMAX_DEFAULT.temperature();
    double[] expected = new double[4];
    double sum = 0;
    for (int k = 0; k < 4; k++) {
      expected[k] = Math.exp(t * x.cosine(c.classEmbeddings().get(k)));
      sum += expected[k];
    }
    double total = 0;
    for (int k = 0; k < 4; k++) {
      String label = c.labels().get(k);
      assertClose(expected[k] / sum, scores.scoreOf(label), FLOAT32_RTOL, 0, label);
      total += scores.scoreOf(label);
    }
    assertClose(1.0, total, 1e-12, 0, "sum of softmax scores");
  }

  @Test
  void classify_sigmoidScores_areIndependentPerClass() {
    try (LitModel sigmoid = LitModel.of(image, text, SIGMOID)) {
      Embedding x = text.embed("a photo of a cat");
      ClassScores two = ZeroShotClassifier.of(sigmoid, List.of("cat", "dog")).classify(x);
      ClassScores three = ZeroShotClassifier.of(sigmoid, List.of("cat", "dog", "car")).classify(x);
      assertClose(two.scoreOf("cat"), three.scoreOf("cat"), 1e-12, 0, "cat");
      assertClose(two.scoreOf("dog"), three.scoreOf("dog"), 1e-12, 0, "dog");
      ClassScore cat = three.ranked().get(three.rankOf("cat") - 1);
      double expected = 1 / (1 + Math.exp(-(10 * cat.cosine() - 10)));
      assertClose(expected, cat.score(), 1e-12, 0, "sigmoid(t cos + b)");
    }
  }

  @Test
  void classify_softmaxScores_dependOnTheOtherClasses() {
    Embedding x = text.embed("a photo of a cat");
    double two = ZeroShotClassifier.of(model, List.of("cat", "dog")).classify(x).scoreOf("cat");
    double three =
        ZeroShotClassifier.of(model, List.of("cat", "dog", "car")).classify(x).scoreOf("cat");
    assertNotEquals(two, three);
  }

  @Test
  void classEmbeddings_haveUnitNormRowsInLabelOrder() {
    ZeroShotClassifier c = ZeroShotClassifier.of(model, List.of("cat", "dog", "car"));
    EmbeddingMatrix m = c.classEmbeddings();
    assertEquals(3, m.size());
    assertEquals(DIM, m.dimension());
    for (int k = 0; k < m.size(); k++) {
      double sq = 0;
      for (float v : m.matrix().row(k)) {
        sq += (double) v * v;
      }
      assertClose(1.0, Math.sqrt(sq), 0, NORM_ATOL, "norm of row " + k);
    }
  }

  @Test
  void classEmbeddings_areTheRenormalisedMeanOfTheNormalisedPromptEmbeddings() {
    PromptTemplates templates = PromptTemplates.of("a photo of a {}.", "art of the {}.", "{}");
    ZeroShotClassifier c =
        ZeroShotClassifier.builder(model, List.of("cat", "Hot_Dog")).templates(templates).build();
    double[][] expected = new double[2][];
    List<String> canonical = List.of("cat", "hot dog");
    for (int k = 0; k < 2; k++) {
      double[] mean = new double[DIM];
      for (String prompt : templates.apply(canonical.get(k))) {
        float[] e = text.embed(prompt).toArray();
        for (int j = 0; j < DIM; j++) {
          mean[j] += e[j] / 3.0;
        }
      }
      double norm = 0;
      for (double v : mean) {
        norm += v * v;
      }
      norm = Math.sqrt(norm);
      for (int j = 0; j < DIM; j++) {
        mean[j] /= norm;
      }
      expected[k] = mean;
    }
    assertAllClose(expected, c.classEmbeddings().matrix(), FLOAT32_RTOL, NORM_ATOL);
    assertEquals(canonical, c.labels());
  }

  @Test
  void of_usesSimple7TemplatesByDefault() {
    List<String> labels = List.of("cat", "dog");
    FloatMatrix byDefault = ZeroShotClassifier.of(model, labels).classEmbeddings().matrix();
    FloatMatrix simple7 =
        ZeroShotClassifier.builder(model, labels)
            .templates(PromptTemplates.SIMPLE_7)
            .build()
            .classEmbeddings()
            .matrix();
    FloatMatrix single =
        ZeroShotClassifier.builder(model, labels)
            .templates(PromptTemplates.SINGLE)
            .build()
            .classEmbeddings()
            .matrix();
    assertEquals(simple7, byDefault);
    assertNotEquals(single, byDefault);
  }

  @Test
  void build_embedsAllPromptsInOneBatchedCall() {
    int before = text.embedAllCalls();
    ZeroShotClassifier.builder(model, List.of("cat", "dog", "car"))
        .templates(PromptTemplates.CLIP_IMAGENET_80)
        .build();
    assertEquals(1, text.embedAllCalls() - before);
  }

  @Test
  void build_withManyLabels_boundsEachBatchAndKeepsLabelOrder() {
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < 1200; i++) {
      labels.add("class " + i);
    }
    int before = text.embedAllCalls();
    ZeroShotClassifier c = ZeroShotClassifier.of(model, labels);
    // 4096 / 7 = 585 labels per call: 1200 labels need 3 calls.
    assertEquals(3, text.embedAllCalls() - before);
    assertEquals("class 1000", c.classify(text.embed("class 1000")).best().label());
  }

  @Test
  void build_withProgress_reportsMonotonePromptCountsReachingTheTotalAndFinishesOnce() {
    RecordingListener listener = new RecordingListener();

    ZeroShotClassifier.builder(model, manyLabels(1200)).progress(listener).build();

    // 1200 labels x 7 templates in calls of 585 labels (4095 prompts): 4095, 8190, 8400.
    assertEquals(
        List.of(4095L, 8190L, 8400L), listener.updates.stream().map(Progress::done).toList());
    for (Progress p : listener.updates) {
      assertEquals("class embeddings", p.task());
      assertEquals("prompts", p.unit());
      assertEquals(8400, p.total());
    }
    assertEquals(1, listener.finishes.size());
    assertEquals(8400, listener.finishes.get(0).done());
  }

  @Test
  void build_whenTheTextTowerFails_stillFinishesProgressOnce() {
    RecordingListener listener = new RecordingListener();
    ZeroShotClassifier.Builder builder =
        ZeroShotClassifier.builder(model, List.of("cat", "dog")).progress(listener);
    text.close(); // the model stays open; the tower's embedAll throws

    assertThrows(IllegalStateException.class, builder::build);

    assertEquals(List.of(), listener.updates);
    assertEquals(1, listener.finishes.size());
    assertEquals(0, listener.finishes.get(0).done());
  }

  @Test
  void build_acrossSeveralTextTowerCalls_givesEachLabelItsOwnPromptsMean() {
    List<String> labels = manyLabels(1200);
    int before = text.embedAllCalls();

    ZeroShotClassifier c = ZeroShotClassifier.of(model, labels);

    assertEquals(3, text.embedAllCalls() - before);
    double[][] expected = new double[labels.size()][];
    for (int k = 0; k < labels.size(); k++) {
      // One call per label: the class embedding as defined, with no batching across labels.
      FloatMatrix prompts = text.embedAll(PromptTemplates.SIMPLE_7.apply(labels.get(k))).matrix();
      double[] mean = new double[DIM];
      for (int p = 0; p < prompts.rows(); p++) {
        for (int j = 0; j < DIM; j++) {
          mean[j] += prompts.get(p, j) / prompts.rows();
        }
      }
      double norm = Math.sqrt(Arrays.stream(mean).map(v -> v * v).sum());
      expected[k] = Arrays.stream(mean).map(v -> v / norm).toArray();
    }
    assertAllClose(expected, c.classEmbeddings().matrix(), FLOAT32_RTOL, NORM_ATOL);
  }

  private static List<String> manyLabels(int n) {
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      labels.add("class " + i);
    }
    return labels;
  }

  /** Records every progress report. */
  private static final class RecordingListener implements ProgressListener {
    final List<Progress> updates = new ArrayList<>();
    final List<Progress> finishes = new ArrayList<>();

    @Override
    public void onUpdate(Progress progress) {
      updates.add(progress);
    }

    @Override
    public void onFinish(Progress progress) {
      finishes.add(progress);
    }
  }

  @Test
  void classifier_sharedByThreads_givesIdenticalResults() throws Exception {
    ZeroShotClassifier c = ZeroShotClassifier.of(model, List.of("red", "green", "blue", "cat"));
    List<BufferedImage> images = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      images.add(ColourImageTower.solid((i * 0x1f3d5b) & 0xffffff | 0x010101, 2));
    }
    List<List<ClassScore>> expected = new ArrayList<>();
    for (BufferedImage im : images) {
      expected.add(c.classify(im).ranked());
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<List<ClassScore>>>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        futures.add(
            pool.submit(
                () -> {
                  List<List<ClassScore>> out = new ArrayList<>();
                  for (BufferedImage im : images) {
                    out.add(c.classify(im).ranked());
                  }
                  return out;
                }));
      }
      for (Future<List<List<ClassScore>>> f : futures) {
        // Same inputs, same arithmetic: results must be bit-identical, not just close.
        assertEquals(expected, f.get(30, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void classify_withEmbeddingOfOtherDimension_namesBothDimensions() {
    ZeroShotClassifier c = ZeroShotClassifier.of(model, List.of("cat", "dog"));
    Embedding wrong = Embedding.of(1, 2, 3);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> c.classify(wrong));
    assertTrue(e.getMessage().contains("dimension 3"), e.getMessage());
    assertTrue(e.getMessage().contains("dimension " + DIM), e.getMessage());
  }

  @Test
  void classifyAll_withEmbeddingsOfOtherDimension_namesBothDimensions() {
    ZeroShotClassifier c = ZeroShotClassifier.of(model, List.of("cat", "dog"));
    EmbeddingMatrix wrong = EmbeddingMatrix.of(List.of(Embedding.of(1, 2)));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> c.classifyAll(wrong));
    assertTrue(e.getMessage().contains("dimension 2"), e.getMessage());
  }

  @Test
  void classifyAll_withEmbeddings_matchesClassifyingOneByOne() {
    ZeroShotClassifier c = ZeroShotClassifier.of(model, List.of("cat", "dog", "car"));
    EmbeddingMatrix xs = text.embedAll(List.of("a cat", "a dog", "a car"));
    List<ClassScores> all = c.classifyAll(xs);
    for (int i = 0; i < 3; i++) {
      assertEquals(c.classify(xs.get(i)).ranked(), all.get(i).ranked());
      assertEquals(c.labels().get(i), all.get(i).best().label());
    }
  }

  @Test
  void classify_afterModelClosed_worksForEmbeddingsButNotImages() {
    ZeroShotClassifier c = ZeroShotClassifier.of(model, List.of("red", "green"));
    Embedding red = text.embed("red");
    BufferedImage redImage = ColourImageTower.solid(0xff0000, 2);
    model.close();
    assertEquals("red", c.classify(red).best().label());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.classify(redImage));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }

  @Test
  void of_afterModelClosed_throws() {
    model.close();
    List<String> labels = List.of("cat");
    assertThrows(IllegalStateException.class, () -> ZeroShotClassifier.of(model, labels));
  }

  @Test
  void of_withEmptyLabels_throws() {
    List<String> none = List.of();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ZeroShotClassifier.of(model, none));
    assertTrue(e.getMessage().contains("labels must not be empty"), e.getMessage());
  }

  @Test
  void build_withLabelsTheTextTowerEmbedsIdentically_throwsNamingThemTheReasonAndTheFix() {
    // The fake tower, like a WordPiece vocabulary without emoji, drops what it cannot spell:
    // every prompt of "🐱" and "🐶" is the same text to it, so their class embeddings coincide.
    List<String> labels = List.of("cat", "🐱", "dog", "🐶");
    ZeroShotClassifier.Builder builder = ZeroShotClassifier.builder(model, labels);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);

    String msg = e.getMessage();
    assertTrue(msg.contains("labels 1 '🐱' and 3 '🐶' have the same class embedding"), msg);
    assertTrue(msg.contains("cannot tell them apart"), msg);
    assertTrue(msg.contains("[UNK]"), msg);
    assertTrue(msg.contains("Spell such labels out in words"), msg);
  }

  @Test
  void build_withLabelsThatShareWordsButDiffer_isAccepted() {
    // "hot dog" and "dog" share a word, so their embeddings are close, but not equal.
    ZeroShotClassifier c = ZeroShotClassifier.of(model, List.of("hot dog", "dog", "hot"));

    assertEquals("dog", c.classify(text.embed("a photo of a dog.")).best().label());
  }

  @Test
  void of_withDuplicateLabels_namesBoth() {
    List<String> labels = List.of("cat", "Cat!");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ZeroShotClassifier.of(model, labels));
    assertTrue(e.getMessage().contains("'cat'") && e.getMessage().contains("'Cat!'"));
  }

  @Test
  void ofLabels_withEmptyLabels_throwsNamingTheFixBeforeLookingForAModel() {
    // No default model is on lit-core's class path: an IllegalStateException here would mean the
    // labels were checked only after looking for one.
    List<String> none = List.of();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ZeroShotClassifier.of(none));
    assertTrue(e.getMessage().contains("labels must not be empty"), e.getMessage());
    assertTrue(e.getMessage().contains("e.g. List.of(\"cat\", \"dog\")"), e.getMessage());
  }

  @Test
  void ofLabels_withNoDefaultModelOnTheClassPath_namesTheMavenArtifactToAdd() {
    List<String> labels = List.of("cat", "dog");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> ZeroShotClassifier.of(labels));
    assertTrue(e.getMessage().contains("dev.lit4j:lit-default-model:"), e.getMessage());
  }

  @Test
  void ofLabelsAndTemplates_withNoDefaultModelOnTheClassPath_namesTheMavenArtifactToAdd() {
    List<String> labels = List.of("cat", "dog");
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> ZeroShotClassifier.of(labels, PromptTemplates.SINGLE));
    assertTrue(e.getMessage().contains("dev.lit4j:lit-default-model:"), e.getMessage());
  }

  @Test
  void close_ofAClassifierThatOwnsItsModel_closesTheModel() {
    HashingTextTower ownedText = new HashingTextTower(DIM, 7);
    ColourImageTower ownedImage =
        ColourImageTower.of(
            ownedText.embed("red"), ownedText.embed("green"), ownedText.embed("blue"));
    LitModel owned = LitModel.of(ownedImage, ownedText, ScoreCalibration.SOFTMAX_DEFAULT);
    ZeroShotClassifier c =
        ZeroShotClassifier.owning(owned, List.of("red", "blue"), PromptTemplates.SINGLE);
    Embedding x = ownedText.embed("red");
    c.close();
    assertTrue(ownedText.isClosed());
    BufferedImage red = ColourImageTower.solid(0xff0000, 4);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.classify(red));
    assertEquals("LitModel is closed", e.getMessage());
    // The cached class embeddings outlive the model.
    assertEquals("red", c.classify(x).best().label());
    c.close(); // idempotent
  }

  @Test
  void close_ofAClassifierOnACallersModel_leavesTheModelOpen() {
    ZeroShotClassifier c = ZeroShotClassifier.of(model, List.of("red", "blue"));
    c.close();
    assertFalse(text.isClosed());
    assertEquals("red", c.classify(ColourImageTower.solid(0xff0000, 4)).best().label());
  }

  @Test
  void owning_whenTheClassEmbeddingsFail_closesTheModel() {
    HashingTextTower inner = new HashingTextTower(DIM, 7);
    TextTower failing =
        new TextTower() {
          @Override
          public int dimension() {
            return inner.dimension();
          }

          @Override
          public TowerIdentity identity() {
            return inner.identity();
          }

          @Override
          public Embedding embed(String t) {
            throw new IllegalStateException("tower broke");
          }

          @Override
          public EmbeddingMatrix embedAll(List<String> texts) {
            throw new IllegalStateException("tower broke");
          }

          @Override
          public void close() {
            inner.close();
          }
        };
    LitModel owned =
        LitModel.of(ColourImageTower.seeded(DIM, 1), failing, ScoreCalibration.SOFTMAX_DEFAULT);
    List<String> labels = List.of("red");
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> ZeroShotClassifier.owning(owned, labels, PromptTemplates.SINGLE));
    assertEquals("tower broke", e.getMessage());
    assertTrue(inner.isClosed());
  }

  @Test
  void build_withoutTemplates_usesTheTemplatesTheModelDeclares() {
    PromptTemplates declared = PromptTemplates.of("a drawing of a {}.", "{} clip art");
    List<String> labels = List.of("cat", "dog");
    try (LitModel withTemplates =
        LitModel.of(
            ColourImageTower.seeded(DIM, 1),
            new HashingTextTower(DIM, 7),
            ScoreCalibration.SOFTMAX_DEFAULT,
            declared)) {
      EmbeddingMatrix byDefault = ZeroShotClassifier.of(withTemplates, labels).classEmbeddings();
      EmbeddingMatrix explicit =
          ZeroShotClassifier.builder(withTemplates, labels)
              .templates(declared)
              .build()
              .classEmbeddings();
      EmbeddingMatrix simple7 =
          ZeroShotClassifier.builder(withTemplates, labels)
              .templates(PromptTemplates.SIMPLE_7)
              .build()
              .classEmbeddings();
      assertEquals(explicit, byDefault);
      assertNotEquals(simple7, byDefault);
    }
  }
}
