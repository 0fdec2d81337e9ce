package dev.lit4j.pytorch.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -Dlit4j.threads} holds whichever lit4j path starts libtorch: here a TorchScript tower
 * loaded first in a fresh JVM (the test JVM's engine has long started, so a child runs it). The
 * counts 3 + 2 are not libtorch's own default on a machine of 2 or 4 cores, so a tower that started
 * the engine without them would show, or fail when asked.
 */
class EngineThreadsStartTest {
  @TempDir Path dir;

  @Test
  void torchScriptTowerLoadedFirst_startsLibtorchWithTheConfiguredThreads() throws Exception {
    Path model = dir.resolve("tiny_tuple.pt");
    try (InputStream in =
        getClass().getResourceAsStream("/dev/lit4j/pytorch/image/torchscript/tiny_tuple.pt")) {
      Files.copy(in, model);
    }
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-XX:ErrorFile=" + dir.resolve("hs_err_pid%p.log"),
                "-Dai.djl.offline=true",
                "-Dlit4j.threads=3,2",
                "-cp",
                System.getProperty("java.class.path"),
                TorchScriptFirstMain.class.getName(),
                model.toString())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    pb.environment().remove("OMP_NUM_THREADS");
    Process child = pb.start();
    try {
      assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child did not finish in 120 s");
    } finally {
      child.destroyForcibly();
    }
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertEquals(0, child.exitValue(), "the child failed:\n" + stderr);
    assertEquals("threads 3 2", Files.readString(out, StandardCharsets.UTF_8).strip(), stderr);
  }
}
