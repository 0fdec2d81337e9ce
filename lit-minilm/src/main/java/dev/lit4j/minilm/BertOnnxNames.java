package dev.lit4j.minilm;

import dev.lit4j.pytorch.weights.FloatTensor;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps the float initializers of a HuggingFace BERT ONNX export (as produced by {@code
 * torch.onnx.export} through Optimum/transformers.js) to BERT parameter names.
 *
 * <p>Biases, embeddings and LayerNorm parameters keep their names ({@code
 * encoder.layer.0.attention.self.query.bias}). Linear weights, however, are exported pre-transposed
 * ({@code [in, out]}) under anonymous names such as {@code onnx::MatMul_787}; the {@code MatMul}
 * node consuming each one is named after the module ({@code
 * /encoder/layer.0/attention/self/query/MatMul}), which gives the BERT name ({@code
 * encoder.layer.0.attention.self.query.weight}), and the tensor is transposed back to PyTorch's
 * {@code [out, in]}.
 */
final class BertOnnxNames {
  private static final String MATMUL_SUFFIX = "/MatMul";

  private BertOnnxNames() {}

  /**
   * Returns the weights under BERT names.
   *
   * @throws IOException if an anonymous initializer is not a {@code MatMul} weight of a named
   *     module, or a name would be produced twice
   */
  static Map<String, FloatTensor> map(OnnxInitializers.Graph graph) throws IOException {
    Map<String, FloatTensor> init = graph.initializers();
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    Map<String, String> renamed = new LinkedHashMap<>();
    for (OnnxInitializers.Node node : graph.nodes()) {
      if (!node.opType().equals("MatMul") || node.inputs().size() != 2) {
        continue;
      }
      String weight = node.inputs().get(1);
      if (!init.containsKey(weight) || isBertName(weight)) {
        continue;
      }
      if (!node.name().startsWith("/") || !node.name().endsWith(MATMUL_SUFFIX)) {
        throw new IOException(
            "MatMul node '" + node.name() + "' using " + weight + " is not named after a module");
      }
      String module =
          node.name().substring(1, node.name().length() - MATMUL_SUFFIX.length()).replace('/', '.');
      String previous = renamed.put(weight, module + ".weight");
      if (previous != null && !previous.equals(module + ".weight")) {
        throw new IOException(weight + " is used by two modules: " + previous + " and " + module);
      }
    }
    for (Map.Entry<String, FloatTensor> e : init.entrySet()) {
      String name = e.getKey();
      FloatTensor t = e.getValue();
      String target = renamed.get(name);
      if (target != null) {
        put(out, target, transpose(t));
      } else if (isBertName(name)) {
        put(out, name, t);
      } else {
        throw new IOException(
            "initializer " + name + " is neither BERT-named nor the weight of a named MatMul");
      }
    }
    return out;
  }

  private static boolean isBertName(String name) {
    return name.endsWith(".weight") || name.endsWith(".bias");
  }

  private static void put(Map<String, FloatTensor> out, String name, FloatTensor t)
      throws IOException {
    if (out.put(name, t) != null) {
      throw new IOException("two initializers map to " + name);
    }
  }

  private static FloatTensor transpose(FloatTensor t) throws IOException {
    int[] s = t.shape();
    if (s.length != 2) {
      throw new IOException("a MatMul weight must be a matrix, got shape " + t);
    }
    float[] src = t.toArray();
    float[] dst = new float[src.length];
    int rows = s[0];
    int cols = s[1];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        dst[c * rows + r] = src[r * cols + c];
      }
    }
    return FloatTensor.of(new int[] {cols, rows}, dst);
  }
}
