package dev.lit4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.pytorch.EngineThreads;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The entry point without a model: help, version, usage errors and exit codes. */
class LitTest {

  @Test
  void version_printsTheProjectVersionFromThePom() {
    String expected = System.getProperty("project.version");
    assertTrue(expected != null && !expected.isBlank(), "surefire sets project.version");

    CliRun run = CliRun.of("--version");

    assertEquals(0, run.exitCode(), run.describe());
    assertTrue(run.out().startsWith("lit " + expected + System.lineSeparator()), run.describe());
    assertTrue(run.out().contains("libtorch"), run.describe());
  }

  @ParameterizedTest
  @ValueSource(strings = {"classify", "search", "embed", "train", "eval"})
  void help_ofEverySubcommand_showsItsOptionsAndAnExample(String command) {
    CliRun run = CliRun.of(command, "--help");

    assertEquals(0, run.exitCode(), run.describe());
    assertTrue(run.out().contains("Usage: lit " + command), run.describe());
    assertTrue(run.out().contains("Examples:"), run.describe());
    assertTrue(run.out().contains("  lit " + command + " "), run.describe());
    for (String common : List.of("--json", "--quiet", "--verbose", "--progress", "--version")) {
      assertTrue(run.out().contains(common), command + " lacks " + common + "\n" + run.out());
    }
    assertEquals("", run.err());
  }

  @Test
  void help_listsTheCommandsExamplesAndExitCodes() {
    CliRun run = CliRun.of("--help");

    assertEquals(0, run.exitCode(), run.describe());
    for (String command : List.of("classify", "search", "embed", "train", "eval")) {
      assertTrue(run.out().contains("  " + command), run.describe());
    }
    assertTrue(run.out().contains("Examples:"), run.describe());
    assertTrue(run.out().contains("Exit codes:"), run.describe());
  }

  @Test
  void noCommand_isAUsageError() {
    CliRun run = CliRun.of();

    assertEquals(2, run.exitCode(), run.describe());
    assertTrue(run.err().contains("lit: missing a command"), run.describe());
    assertTrue(run.err().contains("Try 'lit --help'"), run.describe());
    assertEquals("", run.out());
  }

  @Test
  void unknownOption_isAUsageError_namingTheOptionAndWhereHelpIs() {
    CliRun run = CliRun.of("classify", "--labels", "cat,dog", "--bogus", "cat.png");

    assertEquals(2, run.exitCode(), run.describe());
    assertTrue(run.err().contains("lit classify: Unknown option: '--bogus'"), run.describe());
    assertTrue(run.err().contains("Try 'lit classify --help' for usage"), run.describe());
    assertFalse(run.err().contains("\tat "), "no stack trace\n" + run.describe());
  }

  @Test
  void classifyWithoutLabels_isAUsageError_namingBothWaysToGiveThem() {
    CliRun run = CliRun.of("classify", "cat.png");

    assertEquals(2, run.exitCode(), run.describe());
    assertTrue(
        run.err().contains("--labels=LABEL") && run.err().contains("--labels-file=FILE"),
        run.describe());
  }

  @Test
  void mistypedCommand_suggestsTheRightOne() {
    CliRun run = CliRun.of("clasify", "--labels", "a,b", "x.png");

    assertEquals(2, run.exitCode(), run.describe());
    assertTrue(run.err().contains("classify"), run.describe());
  }

  @Test
  void badEnumValue_isAUsageError_listingTheValidOnes() {
    CliRun run = CliRun.of("classify", "--labels", "a,b", "--progress", "sideways", "x.png");

    assertEquals(2, run.exitCode(), run.describe());
    assertTrue(run.err().contains("sideways"), run.describe());
    assertTrue(run.err().toLowerCase().contains("lines"), run.describe());
  }

  @Test
  void malformedThreads_isAUsageError_namingTheValueAndTheForm() {
    CliRun run = CliRun.of("classify", "--labels", "a,b", "--threads", "two", "x.png");

    assertEquals(2, run.exitCode(), run.describe());
    assertTrue(run.err().contains("'two'") && run.err().contains("INTRA,INTER"), run.describe());
  }

  @Test
  void threadsOtherThanTheStartedEngines_fail_sayingToSetThemFirst() {
    EngineThreads.Counts now = EngineThreads.current(); // the engine has started in this JVM
    String other = (now.intraOp() + 1) + "," + now.interOp();

    CliRun run = CliRun.of("classify", "--labels", "a,b", "--threads", other, "x.png");

    assertEquals(1, run.exitCode(), run.describe());
    assertTrue(
        run.err().contains("already started with " + now) && run.err().contains("--threads"),
        run.describe());
    assertEquals(now, EngineThreads.current());
  }

  @Test
  void topBelowOne_isAUsageError() {
    CliRun run = CliRun.of("classify", "--labels", "a,b", "--top", "0", "x.png");

    assertEquals(2, run.exitCode(), run.describe());
    assertTrue(run.err().contains("--top must be at least 1, got 0"), run.describe());
  }

  @Test
  void trainWithBothEpochsAndSteps_isAUsageError() {
    CliRun run =
        CliRun.of(
            "train",
            "--store",
            "s",
            "--captions",
            "c",
            "--out",
            "o",
            "--epochs",
            "2",
            "--steps",
            "3");

    assertEquals(2, run.exitCode(), run.describe());
    assertTrue(run.err().contains("mutually exclusive"), run.describe());
  }

  @Test
  void trainWithOutOfRangeSettings_isAUsageError_namingEachOne() {
    CliRun run =
        CliRun.of(
            "train",
            "--store",
            "s",
            "--captions",
            "c",
            "--out",
            "o",
            "--batch-size",
            "1",
            "--learning-rate",
            "-1");

    assertEquals(2, run.exitCode(), run.describe());
    assertTrue(run.err().contains("batchSize must be at least 2"), run.describe());
    assertTrue(run.err().contains("learningRate must be positive"), run.describe());
  }

  @Test
  void missingTemplatesFile_isAUsageError_listingTheNamedSets() {
    CliRun run = CliRun.of("classify", "--labels", "a,b", "--templates", "nope.txt", "x.png");

    assertEquals(2, run.exitCode(), run.describe());
    assertTrue(run.err().contains("'nope.txt' is neither a file nor one of"), run.describe());
  }
}
