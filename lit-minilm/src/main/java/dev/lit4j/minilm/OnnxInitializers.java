package dev.lit4j.minilm;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.lit4j.pytorch.weights.FloatTensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small reader of the float32 weights of an ONNX model: it decodes, with protobuf's {@link
 * CodedInputStream}, only the fields it needs of the <a
 * href="https://github.com/onnx/onnx/blob/main/onnx/onnx.proto">onnx.proto</a> schema and skips the
 * rest:
 *
 * <ul>
 *   <li>{@code ModelProto.graph = 7} → {@code GraphProto}
 *   <li>{@code GraphProto.node = 1} → {@code NodeProto}: {@code input = 1}, {@code output = 2},
 *       {@code name = 3}, {@code op_type = 4}
 *   <li>{@code GraphProto.initializer = 5} → {@code TensorProto}: {@code dims = 1}, {@code
 *       data_type = 2} (1 = FLOAT), {@code float_data = 4}, {@code name = 8}, {@code raw_data = 9}
 *       (little-endian), {@code data_location = 14} (1 = EXTERNAL, unsupported)
 * </ul>
 *
 * <p>Non-float initializers (e.g. int64 {@code position_ids}) are skipped. Stateless and
 * thread-safe.
 */
final class OnnxInitializers {
  private static final int MODEL_GRAPH = 7;
  private static final int GRAPH_NODE = 1;
  private static final int GRAPH_INITIALIZER = 5;
  private static final int NODE_INPUT = 1;
  private static final int NODE_OUTPUT = 2;
  private static final int NODE_NAME = 3;
  private static final int NODE_OP_TYPE = 4;
  private static final int TENSOR_DIMS = 1;
  private static final int TENSOR_DATA_TYPE = 2;
  private static final int TENSOR_FLOAT_DATA = 4;
  private static final int TENSOR_NAME = 8;
  private static final int TENSOR_RAW_DATA = 9;
  private static final int TENSOR_DATA_LOCATION = 14;
  private static final int DATA_TYPE_FLOAT = 1;
  private static final int DATA_LOCATION_EXTERNAL = 1;

  private OnnxInitializers() {}

  /** A graph node: its name, operator and input/output value names. */
  record Node(String name, String opType, List<String> inputs, List<String> outputs) {}

  /** The float initializers by name (file order) and the nodes in graph order. */
  record Graph(Map<String, FloatTensor> initializers, List<Node> nodes) {}

  /**
   * Reads {@code model} (an ONNX {@code ModelProto}) to its end; the stream is not closed.
   *
   * @throws IOException if the stream cannot be read or is not a well-formed ONNX model with
   *     embedded float weights
   */
  static Graph read(InputStream model) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(model, 1 << 16);
    in.setSizeLimit(Integer.MAX_VALUE);
    Map<String, FloatTensor> initializers = new LinkedHashMap<>();
    List<Node> nodes = new ArrayList<>();
    boolean sawGraph = false;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (isMessage(tag, MODEL_GRAPH)) {
        sawGraph = true;
        int limit = in.pushLimit(in.readRawVarint32());
        readGraph(in, initializers, nodes);
        in.popLimit(limit);
      } else {
        in.skipField(tag);
      }
    }
    if (!sawGraph) {
      throw new IOException("not an ONNX model: no graph (ModelProto field 7) found");
    }
    return new Graph(initializers, nodes);
  }

  private static void readGraph(
      CodedInputStream in, Map<String, FloatTensor> initializers, List<Node> nodes)
      throws IOException {
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (isMessage(tag, GRAPH_NODE)) {
        int limit = in.pushLimit(in.readRawVarint32());
        nodes.add(readNode(in));
        in.popLimit(limit);
      } else if (isMessage(tag, GRAPH_INITIALIZER)) {
        int limit = in.pushLimit(in.readRawVarint32());
        readTensor(in, initializers);
        in.popLimit(limit);
      } else {
        in.skipField(tag);
      }
    }
  }

  private static Node readNode(CodedInputStream in) throws IOException {
    List<String> inputs = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    String name = "";
    String op = "";
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case NODE_INPUT -> inputs.add(in.readStringRequireUtf8());
        case NODE_OUTPUT -> outputs.add(in.readStringRequireUtf8());
        case NODE_NAME -> name = in.readStringRequireUtf8();
        case NODE_OP_TYPE -> op = in.readStringRequireUtf8();
        default -> in.skipField(tag);
      }
    }
    return new Node(name, op, List.copyOf(inputs), List.copyOf(outputs));
  }

  private static void readTensor(CodedInputStream in, Map<String, FloatTensor> out)
      throws IOException {
    List<Long> dims = new ArrayList<>();
    int dataType = 0;
    String name = null;
    ByteString raw = null;
    List<Float> floatData = new ArrayList<>();
    boolean external = false;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      int wire = WireFormat.getTagWireType(tag);
      if (field == TENSOR_DIMS && wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        int limit = in.pushLimit(in.readRawVarint32());
        while (in.getBytesUntilLimit() > 0) {
          dims.add(in.readInt64());
        }
        in.popLimit(limit);
      } else if (field == TENSOR_DIMS) {
        dims.add(in.readInt64());
      } else if (field == TENSOR_DATA_TYPE) {
        dataType = in.readInt32();
      } else if (field == TENSOR_FLOAT_DATA && wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        int limit = in.pushLimit(in.readRawVarint32());
        while (in.getBytesUntilLimit() > 0) {
          floatData.add(in.readFloat());
        }
        in.popLimit(limit);
      } else if (field == TENSOR_FLOAT_DATA) {
        floatData.add(in.readFloat());
      } else if (field == TENSOR_NAME) {
        name = in.readStringRequireUtf8();
      } else if (field == TENSOR_RAW_DATA) {
        raw = in.readBytes();
      } else if (field == TENSOR_DATA_LOCATION) {
        external = in.readEnum() == DATA_LOCATION_EXTERNAL;
      } else {
        in.skipField(tag);
      }
    }
    if (dataType != DATA_TYPE_FLOAT) {
      return; // e.g. int64 position ids: not a weight
    }
    if (name == null) {
      throw new IOException("ONNX float initializer without a name");
    }
    if (external) {
      throw new IOException(
          "initializer " + name + " keeps its data in an external file, which is not supported");
    }
    int[] shape = new int[dims.size()];
    long size = 1;
    for (int i = 0; i < shape.length; i++) {
      shape[i] = Math.toIntExact(dims.get(i));
      size *= shape[i];
    }
    float[] values;
    if (raw != null) {
      if (raw.size() != 4 * size) {
        throw new IOException(
            "initializer "
                + name
                + " holds "
                + raw.size()
                + " raw bytes, its shape needs "
                + 4 * size);
      }
      values = new float[(int) size];
      FloatBuffer fb = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
      fb.get(values);
    } else {
      if (floatData.size() != size) {
        throw new IOException(
            "initializer "
                + name
                + " holds "
                + floatData.size()
                + " floats, its shape needs "
                + size);
      }
      values = new float[(int) size];
      for (int i = 0; i < values.length; i++) {
        values[i] = floatData.get(i);
      }
    }
    out.put(name, FloatTensor.of(shape, values));
  }

  private static boolean isMessage(int tag, int field) {
    return WireFormat.getTagFieldNumber(tag) == field
        && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
  }
}
