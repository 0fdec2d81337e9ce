package dev.lit4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code bin/lit} of the application directory, run by {@code sh} with a fake {@code
 * java} that prints its arguments: it finds {@code lib/} from any directory and through a symbolic
 * link, passes {@code JAVA_OPTS} and keeps arguments with spaces whole.
 */
class LauncherScriptTest {
  private static final Path SCRIPT = Path.of("src/main/dist/bin/lit");

  @TempDir Path tmp;

  private Path app;
  private Path jdk;

  @BeforeEach
  void layout() throws IOException {
    app = tmp.resolve("app");
    Files.createDirectories(app.resolve("bin"));
    Files.createDirectories(app.resolve("lib"));
    Files.copy(SCRIPT, app.resolve("bin/lit"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.setPosixFilePermissions(
        app.resolve("bin/lit"), PosixFilePermissions.fromString("rwxr-xr-x"));
    jdk = tmp.resolve("jdk");
    Path java = Files.createDirectories(jdk.resolve("bin")).resolve("java");
    Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private List<String> run(
      Path script, Path workingDirectory, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(script.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(workingDirectory.toFile());
    pb.environment().remove("JAVA_OPTS");
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), output);
    return output.lines().toList();
  }

  @Test
  void launcher_throughASymlinkFromElsewhere_runsTheMainClassWithLibAndJavaOpts()
      throws IOException, InterruptedException {
    Path link =
        Files.createSymbolicLink(
            Files.createDirectories(tmp.resolve("links")).resolve("lit"), app.resolve("bin/lit"));
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));

    List<String> javaArgs =
        run(
            link,
            elsewhere,
            Map.of("JAVA_HOME", jdk.toString(), "JAVA_OPTS", "-Xmx1g -Dlit4j.cache.dir=/data/x"),
            "classify",
            "--labels",
            "cat,dog",
            "my photo.png");

    assertEquals(
        List.of(
            "-Dai.djl.offline=true",
            "-Djava.awt.headless=true",
            "-Xmx1g",
            "-Dlit4j.cache.dir=/data/x",
            "-cp",
            app.toRealPath().resolve("lib") + "/*",
            "dev.lit4j.cli.Lit",
            "classify",
            "--labels",
            "cat,dog",
            "my photo.png"),
        javaArgs);
  }

  @Test
  void launcher_withoutJava_saysSo() throws IOException, InterruptedException {
    Path empty = Files.createDirectories(tmp.resolve("no-jdk"));
    ProcessBuilder pb =
        new ProcessBuilder(app.resolve("bin/lit").toString(), "--version")
            .redirectErrorStream(true);
    pb.environment().put("JAVA_HOME", empty.toString());

    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertEquals(1, p.waitFor(), output);
    assertTrue(output.contains("lit: no Java found"), output);
  }
}
