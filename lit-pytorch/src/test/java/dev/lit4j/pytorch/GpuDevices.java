package dev.lit4j.pytorch;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;

/**
 * The devices the GPU test group ({@code @Tag("gpu")}, run by {@code mvn -P gpu test -pl
 * lit-pytorch}) runs on. Where the PyTorch engine sees no CUDA device the tests are skipped with
 * the reason; they are the only tests of lit4j that may skip.
 *
 * <p>{@code -Dlit4j.test.gpu=cpu} runs the group with the CPU standing in for the GPU(s) (two
 * replicas of the CPU for "every GPU"). That checks the tests' own plumbing on a machine without a
 * GPU; it says nothing about CUDA.
 */
public final class GpuDevices {
  /** System property: {@code cpu} makes the CPU stand in for the GPU. */
  public static final String STAND_IN = "lit4j.test.gpu";

  private GpuDevices() {}

  /** {@return whether the CPU stands in for the GPU} */
  public static boolean cpuStandsIn() {
    return "cpu".equals(System.getProperty(STAND_IN));
  }

  /** {@return GPU 0, or the CPU standing in; skips the calling test where neither applies} */
  public static ComputeDevice first() {
    return every().get(0);
  }

  /**
   * {@return every visible GPU, or two CPU replicas standing in; skips the calling test where
   * neither applies}
   */
  public static List<ComputeDevice> every() {
    if (cpuStandsIn()) {
      return List.of(ComputeDevice.cpu(), ComputeDevice.cpu());
    }
    List<ComputeDevice> gpus = ComputeDevice.gpus();
    assumeTrue(
        !gpus.isEmpty(),
        "no CUDA device: the PyTorch engine reports 0 GPUs (pytorch-native-cpu on the class path,"
            + " or no CUDA driver). Run the gpu profile on a machine with a GPU and a CUDA build of"
            + " libtorch 2.7.1 (README, \"Platforms and CUDA\"), or -D"
            + STAND_IN
            + "=cpu to check the tests themselves on the CPU");
    return gpus;
  }
}
