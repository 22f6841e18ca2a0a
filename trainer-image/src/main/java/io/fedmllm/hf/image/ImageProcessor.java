package io.fedmllm.hf.image;

import io.fedmllm.hf.ImageProcessorConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The checkpoint's image processor as transformers' PIL backend ({@code *ImageProcessorPil}) runs it on one RGB
 * picture. CLIP: shortest edge resized, center crop; SigLIP: fixed size; SmolVLM / Idefics3: longest edge resized,
 * then either split into {@code max_image_size} tiles plus the whole picture as global view, or resized to one
 * square tile. Every resize goes through 8-bit RGB as PIL's does; then rescale (in float64, stored as float32) and
 * normalise (float32).
 */
public final class ImageProcessor {

  /** transformers' MAX_IMAGE_SIZE of the SmolVLM processor. */
  private static final int SMOLVLM_MAX_SIDE = 4096;

  private final ImageProcessorConfig config;
  private final ResampleFilter filter;

  public ImageProcessor(ImageProcessorConfig config) {
    this.config = config;
    try {
      this.filter = ResampleFilter.ofPilCode(config.resample());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(config.source() + ": " + e.getMessage(), e);
    }
  }

  public ImageProcessorConfig config() {
    return config;
  }

  public ProcessedImage process(RgbImage image) {
    List<RgbImage> tiles = new ArrayList<>();
    int rows = 0;
    int cols = 0;
    switch (config.kind()) {
      case CLIP -> tiles.add(clip(image));
      case SIGLIP -> tiles.add(config.doResize() ? resize(image, config.width(), config.height()) : image);
      case SMOLVLM, IDEFICS3 -> {
        RgbImage resized = config.doResize() ? longestEdge(image, config.longestEdge()) : image;
        int max = config.maxImageSize();
        if (config.doImageSplitting()) {
          resized = toTileMultiple(resized, max);
          if (resized.height() > max || resized.width() > max) {
            rows = (resized.height() - max) / max + 1;
            cols = (resized.width() - max) / max + 1;
            for (int r = 0; r < rows; r++) {
              for (int c = 0; c < cols; c++) {
                tiles.add(resized.crop(c * max, r * max, max, max));
              }
            }
            tiles.add(resize(resized, max, max));
          } else {
            tiles.add(resized);
          }
        } else {
          tiles.add(resize(resized, max, max));
        }
      }
      default -> throw new AssertionError(config.kind());
    }
    return toPixels(tiles, rows, cols);
  }

  private RgbImage clip(RgbImage image) {
    RgbImage out = image;
    if (config.doResize()) {
      if (config.shortestEdge() > 0) {
        int shortSide = Math.min(image.width(), image.height());
        int longSide = Math.max(image.width(), image.height());
        int newShort = config.shortestEdge();
        int newLong = (int) ((double) ((long) newShort * longSide) / shortSide);
        out = image.width() <= image.height() ? resize(image, newShort, newLong) : resize(image, newLong, newShort);
      } else {
        out = resize(image, config.width(), config.height());
      }
    }
    if (config.doCenterCrop()) {
      int top = Math.floorDiv(out.height() - config.cropHeight(), 2);
      int left = Math.floorDiv(out.width() - config.cropWidth(), 2);
      if (top < 0 || left < 0) {
        throw new IllegalArgumentException(config.source() + ": crop_size " + config.cropWidth() + "x"
            + config.cropHeight() + " exceeds the resized " + out.width() + "x" + out.height() + " image");
      }
      out = out.crop(left, top, config.cropWidth(), config.cropHeight());
    }
    return out;
  }

  /** SmolVLM's get_resize_output_image_size: longest edge to {@code maxLen}, the other even, all below 4096. */
  private RgbImage longestEdge(RgbImage image, int maxLen) {
    int height = image.height();
    int width = image.width();
    double aspect = (double) width / height;
    if (width >= height) {
      width = maxLen;
      height = (int) (width / aspect);
      height += height % 2;
    } else {
      height = maxLen;
      width = (int) (height * aspect);
      width += width % 2;
    }
    height = Math.max(height, 1);
    width = Math.max(width, 1);
    aspect = (double) width / height;
    if (width >= height && width > SMOLVLM_MAX_SIDE) {
      width = SMOLVLM_MAX_SIDE;
      height = (int) (width / aspect);
    } else if (height > width && height > SMOLVLM_MAX_SIDE) {
      height = SMOLVLM_MAX_SIDE;
      width = (int) (height * aspect);
    }
    return resize(image, Math.max(width, 1), Math.max(height, 1));
  }

  /** SmolVLM's resize_for_vision_encoder: both sides rounded up to multiples of the tile size. */
  private RgbImage toTileMultiple(RgbImage image, int tile) {
    int height = image.height();
    int width = image.width();
    double aspect = (double) width / height;
    if (width >= height) {
      width = (int) Math.ceil((double) width / tile) * tile;
      height = (int) (width / aspect);
      height = (int) Math.ceil((double) height / tile) * tile;
    } else {
      height = (int) Math.ceil((double) height / tile) * tile;
      width = (int) (height * aspect);
      width = (int) Math.ceil((double) width / tile) * tile;
    }
    return resize(image, width, height);
  }

  private RgbImage resize(RgbImage image, int width, int height) {
    return PilResampler.resize(image, width, height, filter);
  }

  private ProcessedImage toPixels(List<RgbImage> tiles, int rows, int cols) {
    int h = tiles.get(0).height();
    int w = tiles.get(0).width();
    for (RgbImage t : tiles) {
      if (t.height() != h || t.width() != w) {
        throw new IllegalStateException("tiles of different sizes " + w + "x" + h + " and " + t.width() + "x"
            + t.height());
      }
    }
    float[] out = new float[tiles.size() * 3 * h * w];
    float[] mean = new float[3];
    float[] std = new float[3];
    for (int c = 0; c < 3; c++) {
      mean[c] = config.mean().get(c).floatValue();
      std[c] = config.std().get(c).floatValue();
    }
    int o = 0;
    for (RgbImage t : tiles) {
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            int v = t.value(x, y, c);
            float f = config.doRescale() ? (float) (v * config.rescaleFactor()) : v;
            out[o++] = config.doNormalize() ? (f - mean[c]) / std[c] : f;
          }
        }
      }
    }
    return new ProcessedImage(tiles.size(), h, w, out, rows, cols);
  }
}
