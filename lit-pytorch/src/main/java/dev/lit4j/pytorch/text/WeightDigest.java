package dev.lit4j.pytorch.text;

import dev.lit4j.io.Checksums;
import dev.lit4j.pytorch.weights.FloatTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/** SHA-256 digests of weights (names, shapes and little-endian float32 values). */
final class WeightDigest {
  private WeightDigest() {}

  static String of(Map<String, FloatTensor> weights) {
    MessageDigest md = Checksums.newSha256();
    for (Map.Entry<String, FloatTensor> e : weights.entrySet()) {
      md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
      int[] shape = e.getValue().shape();
      ByteBuffer head = ByteBuffer.allocate(4 * (shape.length + 1)).order(ByteOrder.LITTLE_ENDIAN);
      head.putInt(shape.length);
      for (int d : shape) {
        head.putInt(d);
      }
      md.update(head.array());
      FloatBuffer v = e.getValue().values();
      ByteBuffer buf = ByteBuffer.allocate(4 * v.remaining()).order(ByteOrder.LITTLE_ENDIAN);
      buf.asFloatBuffer().put(v);
      md.update(buf.array());
    }
    return Checksums.toHex(md);
  }
}
