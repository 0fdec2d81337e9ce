package dev.lit4j.pytorch.image;

import dev.lit4j.image.ImagePreprocessing;
import dev.lit4j.pytorch.EngineThreads;
import java.nio.file.Path;

/**
 * Loads a TorchScript image tower as the first thing a JVM does with libtorch, then prints the
 * thread counts libtorch uses as {@code threads INTRA INTER}; {@link EngineThreadsStartTest} runs
 * it in a child JVM with {@code -Dlit4j.threads}.
 */
final class TorchScriptFirstMain {
  private TorchScriptFirstMain() {}

  public static void main(String[] args) throws Exception {
    try (TorchScriptImageTower tower =
        TorchScriptImageTower.load(
            Path.of(args[0]),
            ImagePreprocessing.squash(32),
            ModelOutput.index(1),
            FeaturePooling.NONE)) {
      EngineThreads.Counts c = EngineThreads.current();
      System.out.println("threads " + c.intraOp() + " " + c.interOp());
    }
  }
}
