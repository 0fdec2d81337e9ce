/**
 * The {@code lit} command line: {@link dev.lit4j.cli.Lit} and its subcommands {@code classify},
 * {@code search}, {@code embed}, {@code train} and {@code eval}, built on picocli.
 *
 * <p>This is an application, not an API: only {@link dev.lit4j.cli.Lit}'s {@code main} and {@code
 * execute} are public. Each subcommand is a picocli command whose {@code call()} only turns the
 * parsed arguments into an options record and hands it to a static {@code run(…)} that returns a
 * result record; printing (a table, or JSON with {@code --json}) happens after, from the result.
 * Results go to standard output; progress, warnings and errors to standard error.
 */
package dev.lit4j.cli;
