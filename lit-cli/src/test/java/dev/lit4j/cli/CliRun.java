package dev.lit4j.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs {@code lit} through its entry point ({@link Lit#execute(CliContext, String...)}) with
 * captured standard output and error.
 *
 * @param exitCode the exit code
 * @param out what went to standard output
 * @param err what went to standard error
 */
record CliRun(int exitCode, String out, String err) {

  /** The repository root (the tests run in {@code lit-cli/}). */
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /** The four sample images that ship in {@code lit-examples/samples}. */
  static final Path SAMPLES = ROOT.resolve("lit-examples/samples");

  /** The shipped Tux Paint data: a 538-image MobileNetV2 store (float16) and its captions. */
  static final Path TUXPAINT = ROOT.resolve("lit-examples/data/tuxpaint");

  /** Runs {@code args} with models from {@code models}; standard error is not a terminal. */
  static CliRun of(ModelSource models, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Lit.execute(new CliContext(o, e, false, models, false), args);
    }
    return new CliRun(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Runs {@code args} that load no model. */
  static CliRun of(String... args) {
    return of(
        directory -> {
          throw new AssertionError("this command should load no model");
        },
        args);
  }

  /** Parses standard output as the one JSON object {@code --json} prints. */
  JsonObject json() {
    return JsonParser.parseString(out).getAsJsonObject();
  }

  /** Returns a description for assertion messages. */
  String describe() {
    return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }

  /** Checks that the test data this suite reads is where it should be. */
  static void requireTestData() {
    if (!Files.isDirectory(SAMPLES) || !Files.isDirectory(TUXPAINT.resolve("store"))) {
      throw new IllegalStateException(
          "test data missing: expected " + SAMPLES + " and " + TUXPAINT + "/store");
    }
  }
}
