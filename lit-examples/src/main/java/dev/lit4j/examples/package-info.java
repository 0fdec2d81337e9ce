/**
 * Runnable programs a newcomer starts from. Each {@code main} only parses its arguments and calls
 * {@code run(Options)}, which returns a result that a test checks at toy scale.
 *
 * <ul>
 *   <li>{@link dev.lit4j.examples.LitTuning}: end-to-end LiT-tuning on the shipped pre-computed
 *       embeddings, with held-out zero-shot and retrieval before and after (the README's main job).
 * </ul>
 */
package dev.lit4j.examples;
