package dev.lit4j.cli;

/** A {@code lit} subcommand: its common options decide how errors and progress are shown. */
interface Subcommand {

  /** Returns the parsed common options. */
  CommonOptions common();
}
