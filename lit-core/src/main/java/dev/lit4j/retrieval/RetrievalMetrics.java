package dev.lit4j.retrieval;

import dev.lit4j.embedding.EmbeddingMatrix;
import java.util.Objects;

/**
 * Image↔text retrieval metrics in both directions, with several captions per image (as in
 * big_vision's {@code evaluators/proj/image_text/retrieval.py} and the CLIP/LiT papers' COCO and
 * Flickr30k evaluations).
 *
 * <ul>
 *   <li>image→text: each image that has at least one caption is a query over all texts; its rank is
 *       the best rank among its captions (a hit at K when <em>any</em> caption is in the top K).
 *       Images without captions are not queries, as in big_vision.
 *   <li>text→image: each text is a query over all images; its rank is that of its one image.
 * </ul>
 *
 * <p>Ranks are 1-based and ties are broken by the lower gallery index, the same order as {@link
 * dev.lit4j.retrieval.RetrievalIndex}: an item ranks before the correct one when its cosine is
 * higher, or equal with a lower index.
 *
 * @param imageToText metrics of images searching texts
 * @param textToImage metrics of texts searching images
 */
public record RetrievalMetrics(RankMetrics imageToText, RankMetrics textToImage) {

  /**
   * @param imageToText metrics of images searching texts
   * @param textToImage metrics of texts searching images
   * @throws NullPointerException if a direction is null
   */
  public RetrievalMetrics {
    Objects.requireNonNull(imageToText, "imageToText");
    Objects.requireNonNull(textToImage, "textToImage");
  }

  /**
   * Evaluates retrieval between {@code images} ({@code [N, D]}) and {@code texts} ({@code [M, D]}),
   * where text {@code j} is a caption of image {@code textToImage[j]}.
   *
   * @param images unit-norm image embeddings, {@code [N, D]}
   * @param texts unit-norm text embeddings, {@code [M, D]}
   * @param textToImage for each text, the index of the image it describes
   * @return the rank metrics in both directions, image to text and text to image
   * @throws IllegalArgumentException if the dimensions differ (both named), {@code textToImage}
   *     does not have one entry per text, or an entry is not a valid image index ({@code j} and the
   *     value are named)
   */
  public static RetrievalMetrics evaluate(
      EmbeddingMatrix images, EmbeddingMatrix texts, int[] textToImage) {
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(texts, "texts");
    Objects.requireNonNull(textToImage, "textToImage");
    if (images.dimension() != texts.dimension()) {
      throw new IllegalArgumentException(
          "embedding dimensions differ: images = "
              + images.dimension()
              + ", texts = "
              + texts.dimension());
    }
    if (textToImage.length != texts.size()) {
      throw new IllegalArgumentException(
          "textToImage has "
              + textToImage.length
              + " entries but there are "
              + texts.size()
              + " texts; give the image index of every text");
    }
    for (int j = 0; j < textToImage.length; j++) {
      if (textToImage[j] < 0 || textToImage[j] >= images.size()) {
        throw new IllegalArgumentException(
            "textToImage["
                + j
                + "] = "
                + textToImage[j]
                + " is not an image index; there are "
                + images.size()
                + " images (valid: 0.."
                + (images.size() - 1)
                + ")");
      }
    }
    Ranks ranks = Ranks.compute(images.matrix(), texts.matrix(), textToImage);
    return new RetrievalMetrics(
        RankMetrics.fromRanks(ranks.imageToText()), RankMetrics.fromRanks(ranks.textToImage()));
  }
}
