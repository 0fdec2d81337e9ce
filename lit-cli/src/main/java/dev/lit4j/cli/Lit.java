package dev.lit4j.cli;

import dev.lit4j.pytorch.EngineThreads;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code lit} command line: zero-shot classification, text-to-image search, embedding stores,
 * LiT-tuning and evaluation from a terminal, with the bundled default model unless {@code --model}
 * names another.
 *
 * <pre>{@code
 * lit classify --labels dog,cat,house,car lit-examples/samples/*.png
 * lit --help
 * }</pre>
 *
 * <p>Exit codes: 0 success, 1 failure (the message names the bad argument or file and the fix), 2
 * usage error (picocli's message and a pointer to {@code --help}); a training run stopped by
 * SIGTERM or Ctrl-C exits with 143 or 130 after writing a checkpoint.
 */
@Command(
    name = "lit",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    synopsisSubcommandLabel = "COMMAND",
    description = {
      "LiT (Locked-image Text tuning) from a terminal: classify images among any labels, search"
          + " images by text, pre-compute image embeddings, LiT-tune a text tower on them and"
          + " evaluate a model. Every command uses the bundled default model unless --model names"
          + " a model directory; nothing is downloaded.",
      "Results go to standard output (a table, or JSON with --json); progress, warnings and"
          + " errors to standard error. 'lit COMMAND --help' shows a command's options and an"
          + " example."
    },
    commandListHeading = "%nCommands:%n",
    footerHeading = "%nExamples:%n",
    footer = {
      "  lit classify --labels dog,cat,house,car lit-examples/samples/*.png",
      "  lit search --query \"a guitar\" --store lit-examples/data/tuxpaint/store",
      "  lit embed photos/ --out photos.store",
      "  lit train --store photos.store --captions captions.jsonl --out run1",
      "  lit eval --model run1/model --set test.csv --confusion confusion.png"
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:failure; the message names the bad argument or file and the fix",
      "2:usage error: an unknown option, a missing or malformed argument",
      "130:stopped by Ctrl-C (lit train writes a checkpoint first)",
      "143:stopped by SIGTERM (likewise)"
    })
public final class Lit implements Runnable {
  /** Exit code of a successful run. */
  static final int OK = 0;

  /** Exit code of a run that failed for a reason the message names. */
  static final int FAILURE = 1;

  /** Exit code of a usage error. */
  static final int USAGE = 2;

  /**
   * Exit code {@code lit train} returns when training stopped because the JVM is shutting down; the
   * process itself exits with the signal's status (130 for SIGINT, 143 for SIGTERM).
   */
  static final int INTERRUPTED = 130;

  @Spec private CommandSpec spec;

  private Lit() {}

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "missing a command: classify, search, embed, train or eval");
  }

  /**
   * Runs {@code lit} with {@code args} and exits with its exit code.
   *
   * @param args the command line, e.g. {@code classify --labels cat,dog cat.png}
   */
  public static void main(String[] args) {
    // DJL must not reach a network (libtorch comes from the pytorch-native jar), and charts render
    // without a display; -D options on the java command line win.
    defaultProperty("ai.djl.offline", "true");
    defaultProperty("java.awt.headless", "true");
    CliContext context =
        new CliContext(System.out, System.err, errIsTerminal(), ModelSource.standard(), true);
    int code = execute(context, args);
    // Training stopped by a signal: the JVM is already shutting down with the signal's status,
    // and System.exit would wait for the shutdown hooks forever.
    if (code != INTERRUPTED) {
      System.exit(code);
    }
  }

  /**
   * Runs {@code lit} with {@code args} on the standard streams without exiting, for programs that
   * embed the command line.
   *
   * @return the exit code: 0 success, 1 failure, 2 usage error
   */
  public static int execute(String... args) {
    return execute(
        new CliContext(System.out, System.err, errIsTerminal(), ModelSource.standard(), false),
        args);
  }

  /** Runs {@code lit} with {@code args} in {@code context} and returns the exit code. */
  static int execute(CliContext context, String... args) {
    return commandLine(context).execute(args);
  }

  /** Builds the command line with its subcommands, streams and handlers. */
  static CommandLine commandLine(CliContext context) {
    CommandLine cl = new CommandLine(new Lit());
    cl.addSubcommand(new ClassifyCommand(context));
    cl.addSubcommand(new SearchCommand(context));
    cl.addSubcommand(new EmbedCommand(context));
    cl.addSubcommand(new TrainCommand(context));
    cl.addSubcommand(new EvalCommand(context));
    // After the subcommands: these settings apply to the commands registered so far.
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setOut(new PrintWriter(context.out(), true));
    cl.setErr(new PrintWriter(context.err(), true));
    cl.setParameterExceptionHandler((e, args) -> usageError(e, context.err()));
    cl.setExecutionExceptionHandler((e, command, parseResult) -> failure(e, command, context));
    cl.setExecutionStrategy(
        parseResult -> {
          if (context.configuresLogging()) {
            configureLogging(parseResult);
          }
          CommandLine last = lastCommand(parseResult);
          if (last.getCommand() instanceof Subcommand s
              && s.common() != null
              && s.common().threads != null) {
            try {
              // Before the command loads a model: libtorch fixes its pools when it starts.
              EngineThreads.set(s.common().threads);
            } catch (IllegalStateException e) {
              return failure(e, last, context);
            }
          }
          return new CommandLine.RunLast().execute(parseResult);
        });
    return cl;
  }

  /** Returns the command that runs: the innermost subcommand parsed. */
  private static CommandLine lastCommand(ParseResult parseResult) {
    ParseResult p = parseResult;
    while (p.hasSubcommand()) {
      p = p.subcommand();
    }
    return p.commandSpec().commandLine();
  }

  /** Prints picocli's message, suggestions for a mistyped option, and where help is. */
  private static int usageError(ParameterException e, PrintStream err) {
    CommandLine command = e.getCommandLine();
    String name = command.getCommandSpec().qualifiedName();
    err.println(name + ": " + e.getMessage());
    PrintWriter writer = new PrintWriter(err, true);
    UnmatchedArgumentException.printSuggestions(e, writer);
    writer.flush();
    err.println("Try '" + name + " --help' for usage and an example.");
    err.flush();
    return USAGE;
  }

  /**
   * Prints a one-line message for an exception from a subcommand, with the stack trace only under
   * {@code --verbose}, and returns the exit code.
   */
  private static int failure(Exception e, CommandLine command, CliContext context) {
    PrintStream err = context.err();
    String name = command.getCommandSpec().qualifiedName();
    boolean verbose =
        command.getCommand() instanceof Subcommand s && s.common() != null && s.common().verbose;
    boolean expected =
        e instanceof CliException
            || e instanceof IOException
            || e instanceof UncheckedIOException
            || e instanceof IllegalArgumentException
            || e instanceof IllegalStateException;
    String message = Errors.describe(e instanceof UncheckedIOException u ? u.getCause() : e);
    if (expected) {
      err.println(name + ": " + message);
    } else {
      err.println(
          name
              + ": internal error: "
              + e.getClass().getName()
              + ": "
              + message
              + (verbose ? "" : " (run with --verbose for the stack trace)"));
    }
    if (verbose) {
      e.printStackTrace(err);
    }
    err.flush();
    return FAILURE;
  }

  /**
   * Sets slf4j-simple's level before the first logger is created: debug with {@code --verbose},
   * errors only with {@code --quiet}, else warnings (simplelogger.properties).
   */
  private static void configureLogging(ParseResult parseResult) {
    ParseResult last = parseResult;
    while (last.hasSubcommand()) {
      last = last.subcommand();
    }
    if (last.commandSpec().userObject() instanceof Subcommand s && s.common() != null) {
      String key = "org.slf4j.simpleLogger.defaultLogLevel";
      if (s.common().verbose) {
        System.setProperty(key, "debug");
      } else if (s.common().quiet) {
        System.setProperty(key, "error");
      }
    }
  }

  private static void defaultProperty(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /**
   * Returns whether standard error is a terminal, so that progress may redraw its line: Java 17's
   * {@link System#console()} only says that standard input and output are, so on Linux the target
   * of file descriptor 2 must also be a terminal device; {@code TERM=dumb} turns redrawing off.
   */
  static boolean errIsTerminal() {
    if (System.console() == null || "dumb".equals(System.getenv("TERM"))) {
      return false;
    }
    Path fd = Path.of("/proc/self/fd/2");
    if (!Files.exists(fd, LinkOption.NOFOLLOW_LINKS)) {
      return true;
    }
    try {
      String target = Files.readSymbolicLink(fd).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return true;
    }
  }
}
