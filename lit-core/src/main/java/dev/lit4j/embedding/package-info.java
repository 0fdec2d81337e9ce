/**
 * Embedding value types: a single L2-normalised {@link dev.lit4j.embedding.Embedding} and an
 * immutable batch of them, {@link dev.lit4j.embedding.EmbeddingMatrix}.
 *
 * <p>Every embedding is finite and of unit Euclidean norm: NaN and infinity are rejected where an
 * embedding is built, so downstream code (similarity, scoring, retrieval) never re-checks.
 */
package dev.lit4j.embedding;
