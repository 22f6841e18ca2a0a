package io.fedmllm.data;

import ai.djl.modality.cv.Image;
import java.io.IOException;

/**
 * Where a sample's picture comes from: a file on disk (read lazily through DJL's image factory) or a picture
 * rendered in memory by the synthetic generator.
 */
public interface ImageSource {

  /** Decodes the picture. Implementations name the file in the exception when it cannot be read. */
  Image load() throws IOException;

  /** A short description for error messages (a path, or "generated:&lt;id&gt;"). */
  String describe();
}
