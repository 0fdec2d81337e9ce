package dev.lit4j.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class EngineProbeTest {
  @Test
  void engine_runsOffline() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray a = m.create(new float[] {1, 2, 3});
      assertEquals(14f, a.dot(a).getFloat(), 1e-6);
    }
  }
}
