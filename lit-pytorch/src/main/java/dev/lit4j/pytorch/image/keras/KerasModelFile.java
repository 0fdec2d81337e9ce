package dev.lit4j.pytorch.image.keras;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.lit4j.io.Checksums;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A TF.js layers model as read from {@code model.json} and its shards, before any engine array
 * exists: the layer specs in topological order, the (lazily dequantised) weight tensors by Keras
 * name, the checksum of the files and the manifest's parameter count. Shared by the locked {@link
 * KerasLayersModel} and the {@link TrainableKerasModel}.
 *
 * @param specs the layers in {@code model.json} order (topological for functional models)
 * @param tensors the manifest's tensors by Keras weight name, e.g. {@code "Conv1/kernel"}
 * @param sha256 the SHA-256 (hex) of {@code model.json} followed by the shards in manifest order
 * @param parameterCount the number of weight values in the manifest
 */
record KerasModelFile(
    List<LayerSpec> specs,
    Map<String, WeightManifest.Tensor> tensors,
    String sha256,
    long parameterCount) {
  KerasModelFile {
    specs = List.copyOf(specs);
    tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
  }

  /**
   * Reads a model from the bytes of its {@code model.json} and a source of shards.
   *
   * @throws IOException if a shard cannot be read
   * @throws IllegalArgumentException if the JSON is not a TF.js layers functional model with one
   *     input, or the shards do not match its manifest
   */
  static KerasModelFile read(byte[] modelJson, KerasLayersModel.ShardSource shards)
      throws IOException {
    Objects.requireNonNull(modelJson, "modelJson");
    Objects.requireNonNull(shards, "shards");
    MessageDigest digest = Checksums.newSha256();
    digest.update(modelJson);
    JsonObject root;
    try {
      root =
          JsonParser.parseString(new String(modelJson, StandardCharsets.UTF_8)).getAsJsonObject();
    } catch (JsonParseException | IllegalStateException e) {
      throw new IllegalArgumentException("model.json is not a JSON object: " + e.getMessage(), e);
    }
    if (!root.has("modelTopology") || !root.has("weightsManifest")) {
      throw new IllegalArgumentException(
          "model.json has no modelTopology/weightsManifest (keys: "
              + root.keySet()
              + "); only TF.js layers models are supported, not graph models");
    }
    JsonObject config = modelConfig(root.getAsJsonObject("modelTopology"));
    JsonArray manifest = root.getAsJsonArray("weightsManifest");
    byte[][] groups = new byte[manifest.size()][];
    for (int g = 0; g < manifest.size(); g++) {
      ByteArrayOutputStream group = new ByteArrayOutputStream();
      for (JsonElement p : manifest.get(g).getAsJsonObject().getAsJsonArray("paths")) {
        byte[] shard = shards.read(p.getAsString());
        digest.update(shard);
        group.write(shard);
      }
      groups[g] = group.toByteArray();
    }
    Map<String, WeightManifest.Tensor> tensors = WeightManifest.decode(manifest, groups);
    List<LayerSpec> specs = new ArrayList<>();
    for (JsonElement l : config.getAsJsonArray("layers")) {
      specs.add(LayerSpec.parse(l.getAsJsonObject()));
    }
    long params = tensors.values().stream().mapToLong(WeightManifest.Tensor::size).sum();
    return new KerasModelFile(specs, tensors, Checksums.toHex(digest), params);
  }

  /**
   * {@return the tensor {@code <layer>/<param>}, e.g. {@code Conv1/kernel}}
   *
   * @throws IllegalArgumentException if the manifest lacks it (the layer and weight are named)
   */
  WeightManifest.Tensor weight(LayerSpec layer, String param) {
    WeightManifest.Tensor t = tensors.get(layer.name() + "/" + param);
    if (t == null) {
      throw new IllegalArgumentException(
          "layer '"
              + layer.name()
              + "' ("
              + layer.className()
              + ") needs weight '"
              + layer.name()
              + "/"
              + param
              + "', which the weights manifest lacks");
    }
    return t;
  }

  private static JsonObject modelConfig(JsonObject topology) {
    JsonObject modelConfig = topology.getAsJsonObject("model_config");
    if (modelConfig == null) {
      modelConfig = topology;
    }
    String cls = modelConfig.has("class_name") ? modelConfig.get("class_name").getAsString() : "?";
    if (!cls.equals("Model") && !cls.equals("Functional")) {
      throw new IllegalArgumentException(
          "model class '" + cls + "' is not supported; expected a functional Model");
    }
    JsonObject config = modelConfig.getAsJsonObject("config");
    if (config.getAsJsonArray("input_layers").size() != 1) {
      throw new IllegalArgumentException(
          "models with "
              + config.getAsJsonArray("input_layers").size()
              + " inputs are not supported");
    }
    return config;
  }
}
