package io.fedmllm.hf.image;

/**
 * What an image processor hands the vision tower for one picture: {@code tiles} images of 3 x height x width floats,
 * channel-first ({@code pixel_values} without the batch axis), and the tile grid the prompt must describe
 * ({@code rows = cols = 0} when the picture was not split).
 */
public record ProcessedImage(int tiles, int height, int width, float[] pixelValues, int rows, int cols) {

  public ProcessedImage {
    if (pixelValues.length != (long) tiles * 3 * height * width) {
      throw new IllegalArgumentException("pixel values " + pixelValues.length + " != " + tiles + "x3x" + height
          + "x" + width);
    }
  }

  public long[] shape() {
    return new long[] {tiles, 3, height, width};
  }
}
