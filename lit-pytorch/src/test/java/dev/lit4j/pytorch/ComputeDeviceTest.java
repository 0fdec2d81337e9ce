package dev.lit4j.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class ComputeDeviceTest {
  private static int engineGpus() {
    return Engine.getEngine("PyTorch").getGpuCount();
  }

  @Test
  void cpu_resolvesToTheDjlCpuAndCreatesArraysThere() {
    ComputeDevice cpu = ComputeDevice.cpu();
    assertTrue(cpu.isCpu());
    assertEquals(Device.cpu(), cpu.toDjlDevice());
    try (NDManager m = cpu.newBaseManager()) {
      NDArray a = m.create(new float[] {1, 2});
      assertEquals(Device.cpu(), a.getDevice());
      assertEquals("PyTorch", m.getEngine().getEngineName());
    }
  }

  @Test
  void best_isTheFirstGpuWhenTheEngineHasOneAndTheCpuOtherwise() {
    ComputeDevice expected = engineGpus() > 0 ? ComputeDevice.gpu(0) : ComputeDevice.cpu();
    assertEquals(expected, ComputeDevice.best());
  }

  @Test
  void gpus_listsEveryGpuTheEngineReportsInOrder_eachOfWhichResolves() {
    int count = engineGpus();
    assertEquals(count, ComputeDevice.gpus().size());
    for (int i = 0; i < count; i++) {
      assertEquals(ComputeDevice.gpu(i), ComputeDevice.gpus().get(i));
      assertEquals(Device.gpu(i), ComputeDevice.gpus().get(i).toDjlDevice());
    }
  }

  @Test
  void gpu_beyondWhatTheEngineReports_throwsListingTheAvailableGpus() {
    int count = engineGpus();
    ComputeDevice missing = ComputeDevice.gpu(count);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, missing::toDjlDevice);
    assertTrue(e.getMessage().contains("GPU " + count + " is not available"), e.getMessage());
    assertTrue(e.getMessage().contains("reports " + count + " GPU(s)"), e.getMessage());
    assertTrue(e.getMessage().contains("ComputeDevice.best()"), e.getMessage());
  }

  @Test
  void gpu_withNegativeIndex_throwsNamingTheIndex() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ComputeDevice.gpu(-2));
    assertTrue(e.getMessage().contains("got -2"), e.getMessage());
  }

  @Test
  void gpuIndex_ofTheCpu_throws() {
    assertThrows(IllegalStateException.class, () -> ComputeDevice.cpu().gpuIndex());
    assertEquals(3, ComputeDevice.gpu(3).gpuIndex());
    assertFalse(ComputeDevice.gpu(3).isCpu());
  }

  @Test
  void values_areEqualByDeviceAndPrintAsTheirFactoryCall() {
    assertEquals(ComputeDevice.gpu(1), ComputeDevice.gpu(1));
    assertEquals(ComputeDevice.gpu(1).hashCode(), ComputeDevice.gpu(1).hashCode());
    assertNotEquals(ComputeDevice.gpu(0), ComputeDevice.cpu());
    assertNotEquals(ComputeDevice.gpu(0), ComputeDevice.gpu(1));
    assertEquals("cpu()", ComputeDevice.cpu().toString());
    assertEquals("gpu(2)", ComputeDevice.gpu(2).toString());
  }
}
