package dev.lit4j.zeroshot;

import dev.lit4j.embedding.EmbeddingMatrix;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Finds classes whose embeddings coincide ({@code cos ≥ 1 − }{@value #EPSILON}): a classifier
 * cannot tell such classes apart, and {@link ClassScores#best()} would pick among them by index
 * order. The usual cause is a tokenizer that maps the labels to the same tokens.
 *
 * <p>Near-duplicate search without comparing all pairs: for unit rows, {@code cos(a, b) ≥ 1 − ε}
 * implies {@code |a − b| ≤ √(2ε)}, so every projection of {@code a − b} onto a unit direction is at
 * most {@code √(2ε)} ≈ 1.4e-3 in absolute value. The rows are projected onto {@value #PROJECTIONS}
 * fixed pseudo-random unit directions, sorted by the first projection, and each row is compared
 * with the rows that follow it within {@link #WINDOW} of it; a candidate must be within the window
 * in every projection before its cosine is computed (in float64). Rows already known to coincide
 * are not compared again (union-find), so {@code L} identical rows cost {@code O(L · D + L²)} cheap
 * steps, not {@code L²} dot products. The worst case ({@code L} distinct rows all within the window
 * in every projection) is {@code O(L² · D)}. For 10,000 classes of dimension 512 that cluster as
 * class embeddings do (pairwise cosines around 0.8 to 0.96) a search took 0.4 to 0.8 s on a shared
 * 2-core machine, and 1.7 s when every pairwise cosine was about 0.997: small against embedding
 * their prompts, which takes minutes.
 */
final class CoincidentClasses {
  /** Classes whose cosine is at least {@code 1 − EPSILON} coincide. */
  static final double EPSILON = 1e-6;

  /**
   * Projection difference beyond which two rows cannot coincide: {@code √(2ε)} ≈ 1.414e-3 for unit
   * rows, widened to 2e-3 for rows normalised in float32 (norms off by ~1e-7).
   */
  static final double WINDOW = 2e-3;

  private static final int PROJECTIONS = 8;
  private static final long SEED = 0x5eed_c1a55e5L;
  private static final int MAX_GROUPS_NAMED = 5;

  private CoincidentClasses() {}

  /**
   * Returns the groups of coinciding classes, each sorted by class index, ordered by their first
   * index; empty if all classes differ.
   *
   * @param classes unit rows, one per class
   */
  static List<int[]> find(EmbeddingMatrix classes) {
    int n = classes.size();
    int d = classes.dimension();
    float[] x = classes.matrix().toArray();
    double[][] directions = directions(d);
    double[] projections = new double[n * PROJECTIONS];
    double[] norms = new double[n];
    for (int i = 0; i < n; i++) {
      double squares = 0;
      for (int j = 0; j < d; j++) {
        squares += (double) x[i * d + j] * x[i * d + j];
      }
      norms[i] = Math.sqrt(squares);
      for (int p = 0; p < PROJECTIONS; p++) {
        double dot = 0;
        for (int j = 0; j < d; j++) {
          dot += x[i * d + j] * directions[p][j];
        }
        projections[i * PROJECTIONS + p] = dot;
      }
    }
    Integer[] order =
        IntStream.range(0, n)
            .boxed()
            .sorted(Comparator.comparingDouble(i -> projections[i * PROJECTIONS]))
            .toArray(Integer[]::new);
    int[] parent = IntStream.range(0, n).toArray();
    for (int s = 0; s < n; s++) {
      int a = order[s];
      for (int t = s + 1; t < n; t++) {
        int b = order[t];
        if (projections[b * PROJECTIONS] - projections[a * PROJECTIONS] > WINDOW) {
          break;
        }
        if (root(parent, a) == root(parent, b) || !closeInEveryProjection(projections, a, b)) {
          continue;
        }
        double dot = 0;
        for (int j = 0; j < d; j++) {
          dot += (double) x[a * d + j] * x[b * d + j];
        }
        if (dot / (norms[a] * norms[b]) >= 1 - EPSILON) {
          parent[root(parent, a)] = root(parent, b);
        }
      }
    }
    return groups(parent);
  }

  /**
   * Throws if any classes coincide, naming them, the likely reason and the fix.
   *
   * @param classes unit rows, row {@code k} = class {@code k}
   * @param labels the canonical labels, in class order
   * @throws IllegalArgumentException if two or more classes coincide
   */
  static void reject(EmbeddingMatrix classes, List<String> labels) {
    List<int[]> groups = find(classes);
    if (groups.isEmpty()) {
      return;
    }
    StringBuilder sb = new StringBuilder();
    for (int g = 0; g < Math.min(groups.size(), MAX_GROUPS_NAMED); g++) {
      sb.append(g == 0 ? "labels " : "; labels ").append(name(groups.get(g), labels));
      sb.append(g == 0 ? " have the same class embedding" : " too");
    }
    if (groups.size() > MAX_GROUPS_NAMED) {
      sb.append("; and ").append(groups.size() - MAX_GROUPS_NAMED).append(" more such groups");
    }
    sb.append(" (cosine >= 1 - 1e-6), so the classifier cannot tell them apart. The text tower's")
        .append(
            " tokenizer most likely gives their prompts the same tokens: characters outside its")
        .append(
            " vocabulary become [UNK] (for MiniLM's uncased English WordPiece vocabulary: emoji,")
        .append(" most CJK ideographs, most Hangul), and prompts are cut at the tower's maximum")
        .append(" length (16 tokens by default), so long labels that differ only at the end")
        .append(" coincide. Spell such labels out in words the tokenizer knows (e.g. 'cat' for")
        .append(" '\uD83D\uDC31'), shorten long labels, or drop duplicates");
    throw new IllegalArgumentException(sb.toString());
  }

  private static String name(int[] group, List<String> labels) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < group.length; i++) {
      if (i > 0) {
        sb.append(i == group.length - 1 ? " and " : ", ");
      }
      sb.append(group[i]).append(" '").append(labels.get(group[i])).append('\'');
    }
    return sb.toString();
  }

  private static boolean closeInEveryProjection(double[] projections, int a, int b) {
    for (int p = 1; p < PROJECTIONS; p++) {
      double diff = projections[a * PROJECTIONS + p] - projections[b * PROJECTIONS + p];
      if (Math.abs(diff) > WINDOW) {
        return false;
      }
    }
    return true;
  }

  /** Fixed pseudo-random unit directions (Gaussian, normalised), the same for every call. */
  private static double[][] directions(int d) {
    SplittableRandom random = new SplittableRandom(SEED);
    double[][] out = new double[PROJECTIONS][d];
    for (double[] u : out) {
      double squares = 0;
      for (int j = 0; j < d; j++) {
        u[j] = gaussian(random);
        squares += u[j] * u[j];
      }
      double norm = Math.sqrt(squares);
      for (int j = 0; j < d; j++) {
        u[j] /= norm;
      }
    }
    return out;
  }

  /** A standard normal sample (Box–Muller); SplittableRandom has no nextGaussian in Java 17. */
  private static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble(); // in (0, 1]
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  private static int root(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]]; // path halving
      i = parent[i];
    }
    return i;
  }

  private static List<int[]> groups(int[] parent) {
    int n = parent.length;
    int[] size = new int[n];
    for (int i = 0; i < n; i++) {
      size[root(parent, i)]++;
    }
    List<int[]> out = new ArrayList<>();
    int[][] members = new int[n][];
    int[] filled = new int[n];
    for (int i = 0; i < n; i++) {
      int r = root(parent, i);
      if (size[r] < 2) {
        continue;
      }
      if (members[r] == null) {
        members[r] = new int[size[r]];
        out.add(members[r]); // in order of first (smallest) index, since i ascends
      }
      members[r][filled[r]++] = i;
    }
    return out;
  }
}
