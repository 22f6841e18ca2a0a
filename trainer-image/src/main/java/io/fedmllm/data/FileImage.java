package io.fedmllm.data;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/** A PNG or JPEG picture on disk, decoded on each {@link #load()} through DJL's image factory. */
public record FileImage(Path path) implements ImageSource {

  public FileImage {
    Objects.requireNonNull(path, "path");
  }

  @Override
  public Image load() throws IOException {
    try {
      return ImageFactory.getInstance().fromFile(path);
    } catch (IOException | RuntimeException e) {
      throw new IOException("cannot read image " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return path.toString();
  }
}
