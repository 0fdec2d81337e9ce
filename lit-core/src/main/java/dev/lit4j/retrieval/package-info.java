/**
 * Cross-modal retrieval: {@link dev.lit4j.retrieval.RetrievalIndex} ranks a gallery of embeddings
 * (images or texts) by cosine similarity with a query embedding and returns the top {@link
 * dev.lit4j.retrieval.Hit}s; {@link dev.lit4j.retrieval.RetrievalMetrics} measures retrieval
 * (Recall@1/5/10, mean and median rank in both directions, several captions per image) as {@link
 * dev.lit4j.retrieval.RankMetrics}.
 */
package dev.lit4j.retrieval;
