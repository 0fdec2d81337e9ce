package dev.lit4j.cli;

import java.io.PrintStream;
import java.util.Objects;

/**
 * What a run of {@code lit} writes to and loads from: the real streams and model loading in {@link
 * Lit#main}, captured streams and a shared model in tests.
 *
 * @param out where results go (standard output)
 * @param err where progress, warnings and errors go (standard error)
 * @param errIsTerminal whether {@code err} is a terminal, so that progress may redraw its line
 * @param models where models come from
 * @param configuresLogging whether {@code --verbose} may raise the JVM-wide log level (only the
 *     real command line; a test JVM runs many commands)
 */
record CliContext(
    PrintStream out,
    PrintStream err,
    boolean errIsTerminal,
    ModelSource models,
    boolean configuresLogging) {
  CliContext {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(err, "err");
    Objects.requireNonNull(models, "models");
  }
}
