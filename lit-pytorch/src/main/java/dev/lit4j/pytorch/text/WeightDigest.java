package dev.lit4j.pytorch.text;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/** SHA-256 digests of weights (names, shapes and little-endian float32 values) and of bytes. */
final class WeightDigest {
  private WeightDigest() {}

  static String of(Map<String, FloatTensor> weights) {
    MessageDigest md = sha256();
    for (Map.Entry<String, FloatTensor> e : weights.entrySet()) {
      md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
      int[] shape = e.getValue().shape();
      ByteBuffer head = ByteBuffer.allocate(4 * (shape.length + 1)).order(ByteOrder.LITTLE_ENDIAN);
      head.putInt(shape.length);
      for (int d : shape) {
        head.putInt(d);
      }
      md.update(head.array());
      float[] v = e.getValue().values();
      ByteBuffer buf = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
      buf.asFloatBuffer().put(v);
      md.update(buf.array());
    }
    return HexFormat.of().formatHex(md.digest());
  }

  static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
