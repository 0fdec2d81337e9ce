package dev.lit4j.image;

/** How an image of any aspect ratio is brought to the square input of a tower. */
public enum ResizeRule {
  /**
   * Resizes both sides to the input size, ignoring the aspect ratio (a "squash"). This is what
   * nsfwjs does before its MobileNetV2 ({@code tf.image.resizeBilinear(img, [224, 224])}), so the
   * whole image is seen, stretched.
   */
  RESIZE_SQUARE,

  /**
   * Resizes the shorter side to {@code round(inputSize / cropFraction)} keeping the aspect ratio,
   * then takes the centred {@code inputSize × inputSize} crop: big_vision's {@code
   * resize_small(size / 0.875) | central_crop(size)} ({@code _square875}) and the torchvision
   * ImageNet evaluation transform when {@code cropFraction = 0.875}.
   */
  RESIZE_SHORT_SIDE_THEN_CENTER_CROP
}
