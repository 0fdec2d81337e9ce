package dev.lit4j.examples.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.eval.ZeroShotSet;
import dev.lit4j.examples.data.PrepareShippedData.Options;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.testing.ColourImageTower;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrepareShippedDataTest {

  @TempDir Path tmp;

  /** Toy packages: two Tux Paint stamps (one the fox emoji's twin), 10 Fashion-MNIST images. */
  private Options toyPackages() throws IOException {
    Path modules = tmp.resolve("npm/node_modules");
    EmojiFixtures.openmoji(modules);
    EmojiFixtures.datasource(modules, "google");
    Files.delete(modules.resolve("openmoji/color/svg/2601-FE0F.svg"));
    Path work = tmp.resolve("work");
    String[] renders = {"1F98A", "2764-FE0F", "1F1E9-1F1EA"};
    int[] colours = {0xFF0000FF, 0xFFFFFF00, 0xFFFF0000};
    for (int i = 0; i < renders.length; i++) {
      EmojiFixtures.png(work.resolve("openmoji-72").resolve(renders[i] + ".png"), colours[i]);
    }
    Path tux = tmp.resolve("tuxpaint");
    EmojiFixtures.png(tux.resolve("animals/fox.png"), EmojiFixtures.COLOURS[0]);
    Files.writeString(tux.resolve("animals/fox.txt"), "A fox.\n");
    EmojiFixtures.png(tux.resolve("food/plum.png"), 0xFF00FF00);
    Files.writeString(tux.resolve("food/plum.txt"), "A plum.\n");
    Path fashion = tmp.resolve("fashion");
    Files.createDirectories(fashion);
    int[] pixels = new int[10 * 4];
    Arrays.fill(pixels, 200);
    IdxFileTest.write(fashion.resolve(FashionMnist.TEST_IMAGES), new int[] {10, 2, 2}, pixels);
    IdxFileTest.write(
        fashion.resolve(FashionMnist.TEST_LABELS),
        new int[] {10},
        new int[] {9, 8, 7, 6, 5, 4, 3, 2, 1, 0});
    return new Options(
        tmp.resolve("data"),
        tmp.resolve("npm"),
        work,
        1,
        5,
        EnumSet.of(TrainingSource.EMOJI_GOOGLE, TrainingSource.OPENMOJI),
        1,
        tux,
        fashion);
  }

  @Test
  void run_buildsEvaluationSetsSourcesViewsAndNearDuplicates_thatShippedDataLoads()
      throws IOException {
    Options options = toyPackages();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (ColourImageTower tower = ColourImageTower.seeded(16, 3)) {
      Map<TrainingSource, Integer> counts =
          PrepareShippedData.run(
              options, tower, new PrintStream(log, true, StandardCharsets.UTF_8));
      assertEquals(Map.of(TrainingSource.EMOJI_GOOGLE, 3, TrainingSource.OPENMOJI, 3), counts);
      Path google = options.out().resolve("emoji-google");
      // the fox emoji has the same pixels as the fox stamp
      assertEquals(List.of("1f98a.png"), Files.readAllLines(google.resolve("near-duplicates.txt")));
      assertEquals(
          List.of(), Files.readAllLines(options.out().resolve("openmoji/near-duplicates.txt")));

      ShippedData data = new ShippedData(options.out());
      assertTrue(data.hasViews(TrainingSource.EMOJI_GOOGLE));
      assertFalse(data.hasViews(TrainingSource.EMOJI_TWITTER));
      IllegalArgumentException none =
          assertThrows(
              IllegalArgumentException.class,
              () -> data.trainingCorpus(tower.identity(), Set.of(), ShippedData.Views.INCLUDED));
      assertTrue(none.getMessage().contains("OPENMOJI"), none.getMessage());
      ZeroShotSet fashion = data.fashionMnist(tower.identity());
      assertEquals(FashionMnist.CLASS_NAMES, fashion.classNames());
      assertEquals(
          List.of(9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
          Arrays.stream(fashion.trueClasses()).boxed().toList());

      TrainingCorpus corpus =
          data.trainingCorpus(
              tower.identity(),
              EnumSet.of(TrainingSource.EMOJI_GOOGLE, TrainingSource.OPENMOJI),
              ShippedData.Views.INCLUDED);
      assertEquals(
          List.of(
              "1fae8.png",
              "2764-fe0f.png",
              "1fae8.png#v0",
              "2764-fe0f.png#v0",
              "1F1E9-1F1EA.png",
              "1F98A.png",
              "2764-FE0F.png",
              "1F1E9-1F1EA.png#v0",
              "1F98A.png#v0",
              "2764-FE0F.png#v0"),
          corpus.rows().stream().map(TrainingRow::id).toList());
      // the stores' tower travels with the embeddings, also into a selection of rows
      assertEquals(Optional.of(tower.identity()), corpus.pairs().imageIdentity());
      assertEquals(
          Optional.of(tower.identity()), corpus.select(r -> !r.isView()).pairs().imageIdentity());
      // one concept, two styles and their views: one group
      assertEquals(4, corpus.rows().stream().filter(r -> r.group().equals("2764")).count());
      TrainingRow heartView = corpus.rows().get(3);
      assertTrue(heartView.isView());
      assertEquals("heart", heartView.category());
      assertEquals(
          List.of("heavy black heart", "red heart", "heavy black heart, heart"),
          corpus.pairs().captions().get(3));
      TrainingCorpus base =
          data.trainingCorpus(
              tower.identity(),
              EnumSet.of(TrainingSource.EMOJI_GOOGLE),
              ShippedData.Views.EXCLUDED);
      assertEquals(2, base.size());
      assertFalse(base.rows().get(0).isView());
    }
  }

  @Test
  void run_again_reusesTheStoresAndViews() throws IOException {
    Options options = toyPackages();
    try (ColourImageTower tower = ColourImageTower.seeded(16, 3)) {
      PrintStream quiet =
          new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
      PrepareShippedData.run(options, tower, quiet);
      Path views = options.out().resolve("openmoji/views/embeddings.npy");
      byte[] first = Files.readAllBytes(views);
      PrepareShippedData.run(options, tower, quiet);
      assertTrue(Arrays.equals(first, Files.readAllBytes(views)));
    }
  }

  @Test
  void nearDuplicates_areJudgedOnCentredEmbeddings() {
    // raw cosines of all rows are high (shared component), but only row 1 matches the evaluation
    // row
    EmbeddingMatrix train = matrix(new float[][] {{10, 1, 0}, {10, 0, 1}, {10, -1, 0}});
    EmbeddingMatrix eval = matrix(new float[][] {{10, 0, 1.02f}, {10, 0, -1}});
    assertEquals(
        List.of("b"),
        PrepareShippedData.nearDuplicates(train, List.of("a", "b", "c"), List.of(eval)));
  }

  @Test
  void nearDuplicates_ofSeveralEvaluationSets_areTheUnionOfEachSetOnItsOwn() {
    // each set is centred with the training rows alone, so a large unrelated set (Fashion-MNIST)
    // does not move the mean that Tux Paint duplicates are judged by
    EmbeddingMatrix train = matrix(new float[][] {{10, 1, 0, 0}, {10, 0, 1, 0}, {10, -1, 0, 0}});
    EmbeddingMatrix tux = matrix(new float[][] {{10, 0, 1.02f, 0}, {10, 0, -1, 0}});
    float[][] far = new float[50][];
    for (int i = 0; i < far.length; i++) {
      far[i] = new float[] {10, 1.5f, 0.1f * (i % 3), 4};
    }
    EmbeddingMatrix fashion = matrix(far);
    List<String> ids = List.of("a", "b", "c");
    assertEquals(List.of("b"), PrepareShippedData.nearDuplicates(train, ids, List.of(tux)));
    assertEquals(List.of(), PrepareShippedData.nearDuplicates(train, ids, List.of(fashion)));
    assertEquals(
        List.of("b"), PrepareShippedData.nearDuplicates(train, ids, List.of(tux, fashion)));
  }

  @Test
  void options_parse_readsEveryOption_andNamesUnknownOnes() {
    Options o = Options.parse("--views", "3", "--sources", "openmoji,emoji-twitter", "--seed", "9");
    assertEquals(3, o.views());
    assertEquals(9, o.seed());
    assertEquals(Set.of(TrainingSource.OPENMOJI, TrainingSource.EMOJI_TWITTER), o.sources());
    assertEquals(EnumSet.allOf(TrainingSource.class), Options.parse().sources());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Options.parse("--sources", "apple"));
    assertTrue(e.getMessage().contains("'apple'"), e.getMessage());
    IllegalArgumentException f =
        assertThrows(IllegalArgumentException.class, () -> Options.parse("--views", "-1"));
    assertTrue(f.getMessage().contains("-1"), f.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Options.parse("--colour", "red"));
  }

  @Test
  void csvFields_undoesTheManifestQuoting() {
    assertEquals(
        List.of("/a,b/\"c\".png", "x"), PrepareShippedData.csvFields("\"/a,b/\"\"c\"\".png\",x"));
  }

  private static EmbeddingMatrix matrix(float[][] rows) {
    int d = rows[0].length;
    float[] flat = new float[rows.length * d];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, flat, i * d, d);
    }
    return EmbeddingMatrix.normalising(FloatMatrix.wrap(rows.length, d, flat));
  }
}
