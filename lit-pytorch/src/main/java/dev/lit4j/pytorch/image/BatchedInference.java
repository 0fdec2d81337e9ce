package dev.lit4j.pytorch.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.image.ImagePreprocessing;
import dev.lit4j.image.TensorLayout;
import dev.lit4j.math.FloatMatrix;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * Preprocesses images (in parallel on the common fork-join pool), runs a feature function on
 * batches in a per-batch sub-manager, and returns L2-normalised rows. Shared by the image towers.
 */
final class BatchedInference {
  private BatchedInference() {}

  /**
   * @param features maps an input batch to {@code [n, D]} features, allocated in the batch's
   *     manager
   */
  static EmbeddingMatrix embedAll(
      List<BufferedImage> images,
      ImagePreprocessing preprocessing,
      int batchSize,
      NDManager parent,
      UnaryOperator<NDArray> features) {
    Objects.requireNonNull(images, "images");
    if (images.isEmpty()) {
      throw new IllegalArgumentException("cannot embed an empty list of images");
    }
    for (int i = 0; i < images.size(); i++) {
      if (images.get(i) == null) {
        throw new IllegalArgumentException("images[" + i + "] is null");
      }
    }
    int per = preprocessing.tensorSize();
    int size = preprocessing.inputSize();
    float[] rows = null;
    int dim = -1;
    for (int from = 0; from < images.size(); from += batchSize) {
      int n = Math.min(batchSize, images.size() - from);
      float[] batch = new float[n * per];
      int first = from;
      // Preprocessing is pure Java and per image; spread it over the common pool while the
      // engine is idle. Each image writes its own slice of the batch.
      IntStream.range(0, n)
          .parallel()
          .forEach(i -> preprocessing.apply(images.get(first + i)).copyTo(batch, i * per));
      Shape shape =
          preprocessing.layout() == TensorLayout.NCHW
              ? new Shape(n, 3, size, size)
              : new Shape(n, size, size, 3);
      try (NDManager call = parent.newSubManager()) {
        NDArray out = features.apply(call.create(batch, shape));
        if (out.getShape().dimension() != 2 || out.getShape().get(0) != n) {
          throw new IllegalStateException(
              "features of a batch of "
                  + n
                  + " have shape "
                  + out.getShape()
                  + ", expected [n, D]");
        }
        float[] values = out.toFloatArray();
        if (rows == null) {
          dim = (int) out.getShape().get(1);
          rows = new float[Math.multiplyExact(images.size(), dim)];
        }
        System.arraycopy(values, 0, rows, from * dim, values.length);
      }
    }
    return EmbeddingMatrix.normalising(FloatMatrix.wrap(images.size(), dim, rows));
  }

  /** Global average pooling of a 4-D {@code [N, C, H, W]} array to {@code [N, C]}. */
  static NDArray globalAveragePool(NDArray x) {
    // PyTorch's DJL binding reduces one axis per mean: flatten H·W first.
    Shape s = x.getShape();
    try (NDArray flat = x.reshape(s.get(0), s.get(1), s.get(2) * s.get(3))) {
      return flat.mean(new int[] {2});
    }
  }
}
