package dev.lit4j.pytorch.image.keras;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One layer of a Keras functional model as {@code model.json} describes it.
 *
 * @param name the layer name, unique in the model
 * @param className the Keras class, e.g. {@code "Conv2D"}
 * @param config the layer's {@code config} object
 * @param inbound the names of the layers whose outputs feed this one, in order
 */
record LayerSpec(String name, String className, JsonObject config, List<String> inbound) {
  LayerSpec {
    inbound = List.copyOf(inbound);
  }

  static LayerSpec parse(JsonObject layer) {
    String name = layer.get("name").getAsString();
    String className = layer.get("class_name").getAsString();
    JsonObject config = layer.getAsJsonObject("config");
    List<String> inbound = new ArrayList<>();
    JsonArray nodes = layer.has("inbound_nodes") ? layer.getAsJsonArray("inbound_nodes") : null;
    if (nodes != null && nodes.size() > 1) {
      throw new IllegalArgumentException(
          "layer '"
              + name
              + "' is called "
              + nodes.size()
              + " times (a shared layer); only layers used once are supported");
    }
    if (nodes != null && nodes.size() == 1) {
      for (JsonElement in : nodes.get(0).getAsJsonArray()) {
        JsonArray ref = in.getAsJsonArray();
        if (ref.get(1).getAsInt() != 0 || ref.get(2).getAsInt() != 0) {
          throw new IllegalArgumentException(
              "layer '"
                  + name
                  + "' reads output "
                  + ref
                  + "; only single-output layers are supported");
        }
        inbound.add(ref.get(0).getAsString());
      }
    }
    return new LayerSpec(name, className, config, inbound);
  }

  int intOr(String key, int fallback) {
    JsonElement e = config.get(key);
    return e == null || e.isJsonNull() ? fallback : e.getAsInt();
  }

  double doubleOr(String key, double fallback) {
    JsonElement e = config.get(key);
    return e == null || e.isJsonNull() ? fallback : e.getAsDouble();
  }

  boolean boolOr(String key, boolean fallback) {
    JsonElement e = config.get(key);
    return e == null || e.isJsonNull() ? fallback : e.getAsBoolean();
  }

  String stringOr(String key, String fallback) {
    JsonElement e = config.get(key);
    return e == null || e.isJsonNull() ? fallback : e.getAsString();
  }

  /** Reads a Keras pair such as {@code kernel_size}: an int {@code n} means {@code [n, n]}. */
  int[] pair(String key, int[] fallback) {
    JsonElement e = config.get(key);
    if (e == null || e.isJsonNull()) {
      return fallback.clone();
    }
    if (e.isJsonPrimitive()) {
      return new int[] {e.getAsInt(), e.getAsInt()};
    }
    JsonArray a = e.getAsJsonArray();
    if (a.size() != 2) {
      throw unsupported(key + " = " + a + " (expected two values)");
    }
    return new int[] {a.get(0).getAsInt(), a.get(1).getAsInt()};
  }

  void requireChannelsLast() {
    String format = stringOr("data_format", "channels_last");
    if (!format.equals("channels_last")) {
      throw unsupported("data_format = " + format + " (only channels_last)");
    }
  }

  /** Checks that a normalisation's {@code axis} is the channel axis: -1 or 3 in Keras' NHWC. */
  void requireChannelAxis() {
    JsonElement axis = config.get("axis");
    int ax =
        axis == null
            ? -1
            : axis.isJsonArray() ? axis.getAsJsonArray().get(0).getAsInt() : axis.getAsInt();
    if (ax != -1 && ax != 3) {
      throw unsupported("axis = " + axis + " (only the channel axis, -1 or 3)");
    }
  }

  IllegalArgumentException unsupported(String what) {
    return new IllegalArgumentException(
        "layer '" + name + "' (" + className + ") has unsupported " + what);
  }
}
