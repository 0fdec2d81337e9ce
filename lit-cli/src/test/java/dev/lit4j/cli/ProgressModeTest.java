package dev.lit4j.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.progress.ConsoleProgressBar;
import dev.lit4j.progress.ProgressLines;
import dev.lit4j.progress.ProgressListener;
import dev.lit4j.progress.ProgressTracker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Which progress {@code --progress} and {@code --quiet} give, on a terminal and off one. */
class ProgressModeTest {
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private CliContext context(boolean terminal) {
    PrintStream stream = new PrintStream(err, true, StandardCharsets.UTF_8);
    return new CliContext(stream, stream, terminal, ModelSource.standard(), false);
  }

  @Test
  void auto_drawsABarOnATerminal_andPlainLinesOtherwise() {
    assertInstanceOf(ConsoleProgressBar.class, ProgressMode.AUTO.listener(context(true)));
    assertInstanceOf(ProgressLines.class, ProgressMode.AUTO.listener(context(false)));
  }

  @Test
  void explicitModes_winOverTheTerminalCheck() {
    assertInstanceOf(ConsoleProgressBar.class, ProgressMode.BAR.listener(context(false)));
    assertInstanceOf(ProgressLines.class, ProgressMode.LINES.listener(context(true)));
    assertSame(ProgressListener.silent(), ProgressMode.NONE.listener(context(true)));
  }

  @Test
  void quiet_showsNothing_whateverTheMode() {
    CommonOptions options = new CommonOptions();
    options.quiet = true;
    options.progress = ProgressMode.BAR;

    assertSame(ProgressListener.silent(), options.progress(context(true)));
  }

  @Test
  void lines_neverWriteACarriageReturn_butTheBarDoes() {
    ProgressTracker lines =
        ProgressTracker.start("t", "u", 2, ProgressMode.LINES.listener(context(false)));
    lines.advance(2);
    lines.finish();
    assertFalse(err.toString(StandardCharsets.UTF_8).contains("\r"));

    ProgressTracker bar =
        ProgressTracker.start("t", "u", 2, ProgressMode.BAR.listener(context(true)));
    bar.advance(2);
    bar.finish();
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("\r"));
  }
}
