package io.fedmllm.data.formats;

import io.fedmllm.data.DatasetFormatException;
import io.fedmllm.data.FileImage;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/** Where a record sits (file and 1-based line), for error messages and for checks that need it. */
record RecordLocation(Path file, int line) {

  DatasetFormatException fail(String field, String problem) {
    return new DatasetFormatException(file, line, field, problem);
  }

  /**
   * The image {@code relativePath} under {@code folder}, checked now (it exists, and its header is that of a picture
   * of sane size, see {@link ImageHeader}) so that a dataset with a missing or broken picture fails at read time, not
   * in the middle of training.
   */
  FileImage existingImage(Path folder, String relativePath, String field) throws DatasetFormatException {
    Path path;
    try {
      path = folder.resolve(relativePath).normalize();
    } catch (InvalidPathException e) {
      throw fail(field, "invalid image path '" + relativePath + "'");
    }
    if (!Files.isRegularFile(path)) {
      throw fail(field, "image file not found: " + path);
    }
    Optional<String> problem = ImageHeader.problem(path);
    if (problem.isPresent()) {
      throw fail(field, problem.get());
    }
    return new FileImage(path);
  }
}
