package dev.lit4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.lit4j.pytorch.image.MobileNetV2Tower;
import dev.lit4j.store.EmbeddingStoreBuilder;
import dev.lit4j.testing.ColourImageTower;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code lit search} with the real default model, on the shipped store and the sample images. */
@ExtendWith(SharedDefaultModel.class)
class SearchCommandTest {
  /** float32 scores of one query over the same images, embedded along two routes. */
  private static final double SCORE_ATOL = 1e-5;

  @TempDir Path tmp;

  @BeforeAll
  static void testData() {
    CliRun.requireTestData();
  }

  @Test
  void search_shippedStore_printsRankScoreAndId_bestFirst(ModelSource models) {
    CliRun run =
        CliRun.of(
            models,
            "search",
            "--query",
            "an apple",
            "--store",
            CliRun.TUXPAINT.resolve("store").toString(),
            "--top",
            "5");

    assertEquals(0, run.exitCode(), run.describe());
    List<String> lines = run.out().lines().toList();
    assertEquals("an apple", lines.get(0));
    assertEquals(6, lines.size(), run.describe());
    double previous = Double.MAX_VALUE;
    for (int i = 1; i <= 5; i++) {
      String[] fields = lines.get(i).strip().split(" +");
      assertEquals(Integer.toString(i), fields[0], lines.get(i));
      double score = Double.parseDouble(fields[1]);
      assertTrue(score <= previous, run.describe());
      previous = score;
    }
    // The store holds the plain MobileNetV2 embeddings; whitened on the fly, they find the cartoon
    // apple (first for the bundled model, README "The same from the command line"). This checks
    // the default model's quality on one query: a retrained model may need another query.
    assertTrue(run.out().contains("food/fruit/cartoon/apple.png"), run.describe());
  }

  @Test
  void search_withImages_embedsTheStoreOnce_thenOnlyLoadsIt(ModelSource models) {
    Path store = tmp.resolve("samples.store");
    String[] args = {
      "search",
      "--json",
      "--query",
      "a dog",
      "--query",
      "a shoe",
      "--images",
      CliRun.SAMPLES.toString(),
      "--store",
      store.toString(),
      "--top",
      "2"
    };

    CliRun first = CliRun.of(models, args);
    CliRun second = CliRun.of(models, args);

    assertEquals(0, first.exitCode(), first.describe());
    assertEquals(0, second.exitCode(), second.describe());
    JsonObject built = first.json();
    assertEquals(4, built.getAsJsonObject("embedded").get("embedded").getAsInt());
    assertFalse(second.json().has("embedded"), second.describe());
    assertTrue(first.err().contains("embedding ["), first.describe());
    assertEquals("", second.err(), "nothing to build the second time");
    for (JsonObject o : List.of(built, second.json())) {
      assertEquals(store.toString(), o.get("store").getAsString());
      assertEquals("default", o.get("model").getAsString());
      assertEquals(4, o.get("size").getAsInt());
      JsonArray queries = o.getAsJsonArray("queries");
      assertEquals(2, queries.size());
      JsonObject dog = queries.get(0).getAsJsonObject();
      assertEquals("a dog", dog.get("query").getAsString());
      JsonObject best = dog.getAsJsonArray("hits").get(0).getAsJsonObject();
      assertEquals(1, best.get("rank").getAsInt());
      assertEquals("openclipart-dog.png", best.get("id").getAsString());
      assertEquals(
          CliRun.SAMPLES.resolve("openclipart-dog.png").toString(), best.get("path").getAsString());
      assertTrue(best.has("score"), best.toString());
    }
  }

  @Test
  void search_storeOfTheInnerTower_scoresAsTheModelsOwnStore(ModelSource models)
      throws IOException {
    Path own = tmp.resolve("own");
    Path inner = tmp.resolve("inner");
    assertEquals(
        0,
        CliRun.of(models, "embed", "-q", CliRun.SAMPLES.toString(), "--out", own.toString())
            .exitCode());
    Path manifest = Files.writeString(tmp.resolve("samples.csv"), manifestOfSamples());
    try (MobileNetV2Tower plain = MobileNetV2Tower.load()) {
      EmbeddingStoreBuilder.builder(manifest, inner, plain).build();
    }

    Map<String, Double> ownScores =
        scores(
            CliRun.of(models, "search", "--json", "--query", "a house", "--store", own.toString()));
    Map<String, Double> innerScores =
        scores(
            CliRun.of(
                models, "search", "--json", "--query", "a house", "--store", inner.toString()));

    assertEquals(ownScores.keySet(), innerScores.keySet());
    for (String id : ownScores.keySet()) {
      assertEquals(ownScores.get(id), innerScores.get(id), SCORE_ATOL, id);
    }
  }

  private static String manifestOfSamples() {
    StringBuilder csv = new StringBuilder("path,id\n");
    for (String name :
        List.of(
            "fashion-mnist-bag.png",
            "fashion-mnist-sneaker.png",
            "openclipart-dog.png",
            "openclipart-house.png")) {
      csv.append(CliRun.SAMPLES.resolve(name)).append(',').append(name).append('\n');
    }
    return csv.toString();
  }

  private static Map<String, Double> scores(CliRun run) {
    assertEquals(0, run.exitCode(), run.describe());
    Map<String, Double> out = new HashMap<>();
    for (JsonElement e :
        run.json().getAsJsonArray("queries").get(0).getAsJsonObject().getAsJsonArray("hits")) {
      JsonObject h = e.getAsJsonObject();
      out.put(h.get("id").getAsString(), h.get("score").getAsDouble());
    }
    return out;
  }

  @Test
  void search_storeOfAnotherTower_failsWithExitOne_namingBothTowersAndTheFix(ModelSource models)
      throws IOException {
    Path store = tmp.resolve("colour.store");
    Path manifest = Files.writeString(tmp.resolve("samples.csv"), manifestOfSamples());
    try (ColourImageTower colour = ColourImageTower.seeded(576, 7)) {
      EmbeddingStoreBuilder.builder(manifest, store, colour).build();
    }

    CliRun run = CliRun.of(models, "search", "--query", "a dog", "--store", store.toString());

    assertEquals(1, run.exitCode(), run.describe());
    assertTrue(
        run.err()
            .startsWith(
                "lit search: the embedding store in " + store + " was built with image tower"),
        run.describe());
    assertTrue(run.err().contains("mobilenet_v2"), run.describe());
    assertTrue(run.err().contains("rebuild the store with lit embed"), run.describe());
  }

  @Test
  void search_missingStore_failsWithExitOne_sayingHowToBuildIt(ModelSource models) {
    Path store = tmp.resolve("nothing-here");

    CliRun run = CliRun.of(models, "search", "--query", "a dog", "--store", store.toString());

    assertEquals(1, run.exitCode(), run.describe());
    assertTrue(
        run.err().startsWith("lit search: " + store + " (--store) is not an embedding store"),
        run.describe());
    assertTrue(run.err().contains("lit embed IMAGES --out " + store), run.describe());
  }
}
