/**
 * Cross-modal retrieval: {@link dev.lit4j.retrieval.RetrievalIndex} ranks a gallery of embeddings
 * (images or texts) by cosine similarity with a query embedding and returns the top {@link
 * dev.lit4j.retrieval.Hit}s.
 */
package dev.lit4j.retrieval;
