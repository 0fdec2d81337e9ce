/**
 * Progress reporting for long-running jobs (building an embedding store, training), without
 * printing from library code.
 *
 * <ul>
 *   <li>{@link dev.lit4j.progress.ProgressTracker}: what a job uses; it counts work, measures the
 *       rate and the remaining time against a clock, and notifies a listener.
 *   <li>{@link dev.lit4j.progress.ProgressListener}: what a caller passes to a job; {@link
 *       dev.lit4j.progress.ProgressListener#silent()} ignores everything.
 *   <li>{@link dev.lit4j.progress.ConsoleProgressBar}: a throttled one-line console bar with rate,
 *       ETA and metrics, writing to a {@link java.io.PrintStream} the caller chooses; for
 *       terminals, since it redraws its line with a carriage return.
 *   <li>{@link dev.lit4j.progress.ProgressLines}: the same text as plain periodic lines, for logs
 *       and pipes.
 * </ul>
 */
package dev.lit4j.progress;
