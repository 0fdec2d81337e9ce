package dev.lit4j.bench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The kernel results as markdown: similarity rates against the GEMM ceiling, loss times against
 * their GEMMs, and the project's targets met or missed.
 *
 * <p>Rates are {@code 2·B²·D} floating-point operations per similarity matrix. The ceiling at a
 * shape is PyTorch's GEMM of that shape on engine-resident inputs ({@code
 * SimilarityBench.pytorchGemm}). A loss's forward + backward needs three such GEMMs (logits, {@code
 * G·Y}, {@code Gᵀ·X}), so its "× GEMMs" ratio divides its time by three times the GEMM time of the
 * same implementation at the same shape (PyTorch's GEMM for PyTorch, {@code Similarity.matrix} for
 * pure Java).
 */
final class KernelTables {
  /** Target: loss forward + backward within this factor of its three GEMMs. */
  static final double LOSS_TARGET_RATIO = 1.3;

  /** Target: pure-Java similarity at least this fraction of libtorch's GEMM rate. */
  static final double SIMILARITY_TARGET_FRACTION = 0.40;

  /** The shape at which the loss target is stated. */
  static final int TARGET_BATCH = 16384;

  static final int TARGET_DIM = 768;

  private static final String SIMILARITY = "SimilarityBench";
  private static final String LOSS = "LossBench";
  private static final int GEMMS_PER_FORWARD_BACKWARD = 3;

  private final List<Measurement> results;

  KernelTables(List<Measurement> results) {
    this.results = List.copyOf(results);
  }

  /** Returns {@code 2·batch²·dim / time} in GFLOP/s. */
  static double gflops(int batch, int dim, double millis) {
    return 2.0 * batch * batch * dim / (millis * 1e6);
  }

  /** Returns the similarity table. */
  String similarityTable() {
    StringBuilder md = new StringBuilder();
    md.append("| B | D | Java ms | Java GFLOP/s | PyTorch adapter ms | PyTorch GEMM ms |")
        .append(" GEMM GFLOP/s (ceiling) | Java / ceiling |\n")
        .append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int[] shape : shapes(SIMILARITY)) {
      int b = shape[0];
      int d = shape[1];
      Optional<Measurement> java = similarity("java", b, d);
      Optional<Measurement> adapter = similarity("pytorch", b, d);
      Optional<Measurement> gemm = similarity("pytorchGemm", b, d);
      md.append(
          String.format(
              Locale.ROOT,
              "| %d | %d | %s | %s | %s | %s | %s | %s |%n",
              b,
              d,
              ms(java),
              rate(java, b, d),
              ms(adapter),
              ms(gemm),
              rate(gemm, b, d),
              fraction(java, gemm)));
    }
    return md.toString();
  }

  /** Returns the loss table. */
  String lossTable() {
    StringBuilder md = new StringBuilder();
    md.append("| loss | form | B | D | Java fwd ms | Java fwd+bwd ms | Java fwd+bwd × GEMMs |")
        .append(" PyTorch fwd ms | PyTorch fwd+bwd ms | PyTorch fwd+bwd × GEMMs |\n")
        .append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (LossPoint p : lossPoints()) {
      Optional<Measurement> javaBoth = loss("javaForwardBackward", p);
      Optional<Measurement> torchBoth = loss("pytorchForwardBackward", p);
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %d | %s | %s | %s | %s | %s | %s |%n",
              p.kind.toLowerCase(Locale.ROOT),
              p.form.toLowerCase(Locale.ROOT),
              p.batch,
              p.dim,
              ms(loss("javaForward", p)),
              ms(javaBoth),
              ratio(javaBoth, similarity("java", p.batch, p.dim)),
              ms(loss("pytorchForward", p)),
              ms(torchBoth),
              ratio(torchBoth, similarity("pytorchGemm", p.batch, p.dim))));
    }
    return md.toString();
  }

  /** Returns the targets, each marked met or missed with its measured value. */
  String targets() {
    StringBuilder md = new StringBuilder();
    md.append(
        String.format(
            Locale.ROOT,
            "- **Loss forward + backward within %.1f× of its three GEMMs at B = %d, D = %d.**%n",
            LOSS_TARGET_RATIO,
            TARGET_BATCH,
            TARGET_DIM));
    boolean any = false;
    for (LossPoint p : lossPoints()) {
      if (p.batch != TARGET_BATCH || p.dim != TARGET_DIM) {
        continue;
      }
      for (String impl : new String[] {"java", "pytorch"}) {
        Optional<Measurement> both = loss(impl + "ForwardBackward", p);
        Optional<Measurement> gemm =
            similarity(impl.equals("java") ? "java" : "pytorchGemm", p.batch, p.dim);
        if (both.isEmpty() || gemm.isEmpty()) {
          continue;
        }
        any = true;
        double r = both.get().millis() / (GEMMS_PER_FORWARD_BACKWARD * gemm.get().millis());
        md.append(
            String.format(
                Locale.ROOT,
                "  - %s %s %s: %.2f× — %s%n",
                impl.equals("java") ? "Java" : "PyTorch",
                p.kind.toLowerCase(Locale.ROOT),
                p.form.toLowerCase(Locale.ROOT),
                r,
                verdict(
                    r <= LOSS_TARGET_RATIO,
                    String.format(Locale.ROOT, "%.2f×", r / LOSS_TARGET_RATIO))));
      }
    }
    if (!any) {
      md.append("  - not measured in these results\n");
    }
    md.append(
        String.format(
            Locale.ROOT,
            "- **Pure-Java similarity at least %.0f %% of libtorch's GEMM rate.**%n",
            100 * SIMILARITY_TARGET_FRACTION));
    int met = 0;
    int all = 0;
    List<String> points = new ArrayList<>();
    for (int[] shape : shapes(SIMILARITY)) {
      Optional<Measurement> java = similarity("java", shape[0], shape[1]);
      Optional<Measurement> gemm = similarity("pytorchGemm", shape[0], shape[1]);
      if (java.isEmpty() || gemm.isEmpty()) {
        continue;
      }
      double f = gemm.get().millis() / java.get().millis();
      all++;
      met += f >= SIMILARITY_TARGET_FRACTION ? 1 : 0;
      points.add(String.format(Locale.ROOT, "%d×%d: %.0f %%", shape[0], shape[1], 100 * f));
    }
    md.append(
        all == 0
            ? "  - not measured in these results\n"
            : String.format(
                Locale.ROOT,
                "  - met at %d of %d shapes (B×D: Java / ceiling): %s%n",
                met,
                all,
                String.join(", ", points)));
    return md.toString();
  }

  private static String verdict(boolean met, String missedBy) {
    return met ? "met" : "missed (" + missedBy + " the target)";
  }

  private Optional<Measurement> similarity(String method, int batch, int dim) {
    return find(SIMILARITY, method, m -> m.intParam("batch") == batch && m.intParam("dim") == dim);
  }

  private Optional<Measurement> loss(String method, LossPoint p) {
    return find(LOSS, method, m -> p.equals(LossPoint.of(m)));
  }

  private Optional<Measurement> find(
      String bench, String method, java.util.function.Predicate<Measurement> where) {
    return results.stream()
        .filter(m -> m.bench().equals(bench) && m.method().equals(method))
        .filter(where)
        .findFirst();
  }

  /** Returns the distinct (batch, dim) of {@code bench}, sorted by dim, then batch. */
  List<int[]> shapes(String bench) {
    TreeSet<List<Integer>> set =
        new TreeSet<>(
            Comparator.<List<Integer>>comparingInt(l -> l.get(1)).thenComparingInt(l -> l.get(0)));
    for (Measurement m : results) {
      if (m.bench().equals(bench)) {
        set.add(List.of(m.intParam("batch"), m.intParam("dim")));
      }
    }
    List<int[]> out = new ArrayList<>();
    for (List<Integer> l : set) {
      out.add(new int[] {l.get(0), l.get(1)});
    }
    return out;
  }

  private List<LossPoint> lossPoints() {
    TreeSet<LossPoint> set = new TreeSet<>(LossPoint.ORDER);
    for (Measurement m : results) {
      if (m.bench().equals(LOSS)) {
        set.add(LossPoint.of(m));
      }
    }
    return new ArrayList<>(set);
  }

  private static String ms(Optional<Measurement> m) {
    return m.map(x -> String.format(Locale.ROOT, "%.3g", x.millis())).orElse("—");
  }

  private static String rate(Optional<Measurement> m, int b, int d) {
    return m.map(x -> String.format(Locale.ROOT, "%.1f", gflops(b, d, x.millis()))).orElse("—");
  }

  private static String fraction(Optional<Measurement> java, Optional<Measurement> ceiling) {
    if (java.isEmpty() || ceiling.isEmpty()) {
      return "—";
    }
    return String.format(
        Locale.ROOT, "%.0f %%", 100 * ceiling.get().millis() / java.get().millis());
  }

  private static String ratio(Optional<Measurement> both, Optional<Measurement> gemm) {
    if (both.isEmpty() || gemm.isEmpty()) {
      return "—";
    }
    return String.format(
        Locale.ROOT,
        "%.2f",
        both.get().millis() / (GEMMS_PER_FORWARD_BACKWARD * gemm.get().millis()));
  }

  /** A loss benchmark's parameter point. */
  private record LossPoint(String kind, String form, int batch, int dim) {
    static final Comparator<LossPoint> ORDER =
        Comparator.comparing(LossPoint::kind)
            .reversed()
            .thenComparing(LossPoint::form, Comparator.reverseOrder())
            .thenComparingInt(LossPoint::dim)
            .thenComparingInt(LossPoint::batch);

    LossPoint {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(form, "form");
    }

    static LossPoint of(Measurement m) {
      return new LossPoint(
          m.param("kind"), m.param("form"), m.intParam("batch"), m.intParam("dim"));
    }
  }
}
