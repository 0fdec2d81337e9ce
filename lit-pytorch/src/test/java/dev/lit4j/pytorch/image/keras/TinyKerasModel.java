package dev.lit4j.pytorch.image.keras;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes a small Keras functional model in TF.js layers format ({@code model.json} and one float32
 * shard) for tests of the locked and the trainable model: layers and weights are added in order.
 */
final class TinyKerasModel {
  private final JsonArray layers = new JsonArray();
  private final JsonArray weights = new JsonArray();
  private final ByteArrayOutputStream shard = new ByteArrayOutputStream();

  /** Adds the input layer {@code "input"} of NHWC shape {@code [null, h, w, c]}. */
  TinyKerasModel input(int h, int w, int c) {
    return layer(
        "input", "InputLayer", "{\"batch_input_shape\":[null," + h + "," + w + "," + c + "]}");
  }

  /** Adds a layer with its config (JSON) reading the named layers. */
  TinyKerasModel layer(String name, String cls, String configJson, String... inbound) {
    return layer(name, cls, JsonParser.parseString(configJson).getAsJsonObject(), inbound);
  }

  /** Adds a layer with its config reading the named layers; {@code config} gains the name. */
  TinyKerasModel layer(String name, String cls, JsonObject config, String... inbound) {
    config.addProperty("name", name);
    JsonObject l = new JsonObject();
    l.addProperty("name", name);
    l.addProperty("class_name", cls);
    l.add("config", config);
    JsonArray nodes = new JsonArray();
    if (inbound.length > 0) {
      JsonArray node = new JsonArray();
      for (String in : inbound) {
        node.add(JsonParser.parseString("[\"" + in + "\",0,0,{}]"));
      }
      nodes.add(node);
    }
    l.add("inbound_nodes", nodes);
    layers.add(l);
    return this;
  }

  /** Adds a float32 weight in Keras layout. */
  TinyKerasModel weight(String name, int[] shape, double... values) {
    JsonObject w = new JsonObject();
    w.addProperty("name", name);
    w.add("shape", new Gson().toJsonTree(shape));
    w.addProperty("dtype", "float32");
    weights.add(w);
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      b.putFloat((float) v);
    }
    shard.writeBytes(b.array());
    return this;
  }

  /** Adds a BatchNormalization layer and its four weights (epsilon 1e-3). */
  TinyKerasModel batchNorm(
      String name, String inbound, double[] gamma, double[] beta, double[] mean, double[] var) {
    int[] shape = {gamma.length};
    return layer(
            name,
            "BatchNormalization",
            "{\"axis\":-1,\"momentum\":0.999,\"epsilon\":0.001,\"center\":true,\"scale\":true}",
            inbound)
        .weight(name + "/gamma", shape, gamma)
        .weight(name + "/beta", shape, beta)
        .weight(name + "/moving_mean", shape, mean)
        .weight(name + "/moving_variance", shape, var);
  }

  byte[] json() {
    JsonObject config = new JsonObject();
    config.addProperty("name", "tiny");
    config.add("layers", layers);
    config.add("input_layers", JsonParser.parseString("[[\"input\",0,0]]"));
    JsonObject modelConfig = new JsonObject();
    modelConfig.addProperty("class_name", "Model");
    modelConfig.add("config", config);
    JsonObject topology = new JsonObject();
    topology.add("model_config", modelConfig);
    JsonObject group = new JsonObject();
    group.add("paths", JsonParser.parseString("[\"w.bin\"]"));
    group.add("weights", weights);
    JsonArray manifest = new JsonArray();
    manifest.add(group);
    JsonObject root = new JsonObject();
    root.add("modelTopology", topology);
    root.add("weightsManifest", manifest);
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Loads the model as the locked importer does. */
  KerasLayersModel load() throws IOException {
    return KerasLayersModel.load(json(), shards());
  }

  /** {@return the shard {@code w.bin}'s bytes, e.g. to write beside {@link #json()}} */
  byte[] shardBytes() {
    return shard.toByteArray();
  }

  KerasLayersModel.ShardSource shards() {
    byte[] bytes = shard.toByteArray();
    return path -> bytes;
  }
}
