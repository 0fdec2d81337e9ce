package dev.lit4j.minilm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.lit4j.pytorch.weights.FloatTensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link OnnxInitializers} and {@link BertOnnxNames} on hand-encoded ONNX protobufs: raw and packed
 * float data, an int64 initializer that must be skipped, an anonymous MatMul weight that must be
 * renamed and transposed, and fields the reader must skip.
 */
class OnnxImportTest {

  private static byte[] tensor(String name, int dataType, long[] dims, float[] raw, float[] packed)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    for (long d : dims) {
      out.writeInt64(1, d); // unpacked dims
    }
    out.writeInt32(2, dataType);
    if (packed != null) {
      ByteArrayOutputStream p = new ByteArrayOutputStream();
      CodedOutputStream po = CodedOutputStream.newInstance(p);
      for (float f : packed) {
        po.writeFloatNoTag(f);
      }
      po.flush();
      out.writeByteArray(4, p.toByteArray());
    }
    out.writeString(8, name);
    out.writeString(12, "a doc string the reader skips");
    if (raw != null) {
      ByteBuffer bb = ByteBuffer.allocate(4 * raw.length).order(ByteOrder.LITTLE_ENDIAN);
      bb.asFloatBuffer().put(raw);
      out.writeBytes(9, ByteString.copyFrom(bb.array()));
    }
    out.flush();
    return bytes.toByteArray();
  }

  private static byte[] node(String name, String op, String... inputs) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    for (String in : inputs) {
      out.writeString(1, in);
    }
    out.writeString(2, name + "_output_0");
    out.writeString(3, name);
    out.writeString(4, op);
    out.flush();
    return bytes.toByteArray();
  }

  private static byte[] model(List<byte[]> nodes, List<byte[]> initializers) throws IOException {
    ByteArrayOutputStream graph = new ByteArrayOutputStream();
    CodedOutputStream g = CodedOutputStream.newInstance(graph);
    for (byte[] n : nodes) {
      g.writeByteArray(1, n);
    }
    g.writeString(2, "main_graph");
    for (byte[] t : initializers) {
      g.writeByteArray(5, t);
    }
    g.flush();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeInt64(1, 7); // ir_version
    out.writeString(2, "pytorch"); // producer_name
    out.writeByteArray(7, graph.toByteArray());
    out.flush();
    return bytes.toByteArray();
  }

  @Test
  void read_decodesRawAndPackedFloats_skipsNonFloat_andRenamesMatMulWeights() throws IOException {
    byte[] onnx =
        model(
            List.of(
                node(
                    "/encoder/layer.0/attention/self/query/MatMul",
                    "MatMul",
                    "x",
                    "onnx::MatMul_9"),
                node("/encoder/layer.0/attention/self/query/Add", "Add", "b", "y")),
            List.of(
                tensor("embeddings.position_ids", 7, new long[] {1, 3}, null, null),
                tensor(
                    "encoder.layer.0.attention.self.query.bias",
                    1,
                    new long[] {3},
                    null,
                    new float[] {0.5f, -1f, 2f}),
                tensor(
                    "onnx::MatMul_9", 1, new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}, null)));
    OnnxInitializers.Graph graph = OnnxInitializers.read(new ByteArrayInputStream(onnx));
    assertEquals(2, graph.initializers().size(), "the int64 tensor is skipped");
    assertEquals(2, graph.nodes().size());
    assertEquals("MatMul", graph.nodes().get(0).opType());

    Map<String, FloatTensor> bert = BertOnnxNames.map(graph);
    assertArrayEquals(
        new float[] {0.5f, -1f, 2f},
        bert.get("encoder.layer.0.attention.self.query.bias").toArray());
    FloatTensor w = bert.get("encoder.layer.0.attention.self.query.weight");
    assertArrayEquals(new int[] {3, 2}, w.shape(), "[in, out] is transposed to [out, in]");
    assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, w.toArray());
  }

  @Test
  void anonymousInitializerWithoutAMatMul_isRejectedNamingIt() throws IOException {
    byte[] onnx =
        model(List.of(), List.of(tensor("onnx::Mul_3", 1, new long[] {1}, new float[] {2}, null)));
    OnnxInitializers.Graph graph = OnnxInitializers.read(new ByteArrayInputStream(onnx));
    IOException e = assertThrows(IOException.class, () -> BertOnnxNames.map(graph));
    assertTrue(e.getMessage().contains("onnx::Mul_3"), e.getMessage());
  }

  @Test
  void rawDataOfTheWrongSize_isRejected() throws IOException {
    byte[] onnx =
        model(List.of(), List.of(tensor("a.weight", 1, new long[] {2, 2}, new float[] {1}, null)));
    ByteArrayInputStream in = new ByteArrayInputStream(onnx);
    IOException e = assertThrows(IOException.class, () -> OnnxInitializers.read(in));
    assertTrue(e.getMessage().contains("a.weight holds 4 raw bytes"), e.getMessage());
  }

  @Test
  void notAModel_isRejected() {
    ByteArrayInputStream in = new ByteArrayInputStream(new byte[] {8, 1});
    IOException e = assertThrows(IOException.class, () -> OnnxInitializers.read(in));
    assertTrue(e.getMessage().contains("no graph"), e.getMessage());
  }

  @Test
  void configOfAnotherArchitecture_isRejectedNamingTheField() {
    var config = AllMiniLmL6V2.configBuilder(64).layers(4).build();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AllMiniLmL6V2.loadTower(config));
    assertTrue(e.getMessage().contains("layers = 4"), e.getMessage());
    assertTrue(e.getMessage().contains("has 6"), e.getMessage());
  }
}
