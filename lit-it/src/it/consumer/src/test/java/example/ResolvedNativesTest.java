package example;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The libtorch jar follows the platform that resolves the dependencies, not the one lit4j was
 * built on. The trees were written by the earlier invocations of invoker.properties: as on a Mac
 * with Apple silicon, as on Linux on ARM, and with an explicit choice of Windows.
 */
class ResolvedNativesTest {
  private static final String NATIVE = "ai.djl.pytorch:pytorch-native-cpu:jar:";

  @Test
  void onAMacWithAppleSilicon_theOsxAarch64Jar_andNoLinuxOne() throws IOException {
    assertOnly("osx-aarch64", Path.of("target/tree-osx-aarch64.txt"));
  }

  @Test
  void onLinuxArm_theLinuxAarch64Jar_andNoX86One() throws IOException {
    assertOnly("linux-aarch64", Path.of("target/tree-linux-aarch64.txt"));
  }

  @Test
  void withLit4jNativeClassifier_theChosenJar_andNoLinuxOne() throws IOException {
    assertOnly("win-x86_64", Path.of("target/tree-win-x86_64.txt"));
  }

  @Test
  void onThisMachine_theTestsRunOnThisPlatformsJar() {
    String expected = "pytorch-native-cpu-2.7.1-" + thisPlatformsClassifier() + ".jar";
    List<String> classPath =
        Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
    assertTrue(
        classPath.stream().anyMatch(e -> e.endsWith(expected)),
        expected + " not on the class path: " + classPath);
  }

  /**
   * The classifier the parent POM's native-* profiles pick for the machine running this build;
   * platforms DJL builds no jar for keep the default, linux-x86_64.
   */
  private static String thisPlatformsClassifier() {
    String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
    String arch = System.getProperty("os.arch");
    boolean arm = arch.equals("aarch64");
    if (os.startsWith("linux") && arm) {
      return "linux-aarch64";
    }
    if (os.startsWith("mac") && arm) {
      return "osx-aarch64";
    }
    if (os.startsWith("windows") && arch.equals("amd64")) {
      return "win-x86_64";
    }
    return "linux-x86_64";
  }

  private static void assertOnly(String classifier, Path tree) throws IOException {
    assertTrue(Files.isRegularFile(tree), tree + " was not written by the earlier invocation");
    String text = Files.readString(tree);
    assertTrue(text.contains(NATIVE + classifier + ":"), classifier + " missing from\n" + text);
    assertFalse(
        text.lines().anyMatch(l -> l.contains(NATIVE) && !l.contains(NATIVE + classifier + ":")),
        "another platform's libtorch jar in\n" + text);
  }
}
