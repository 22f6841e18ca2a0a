package io.fedmllm.data.formats;

import io.fedmllm.data.DatasetFormatException;
import io.fedmllm.data.FileImage;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Where a record sits (file and 1-based line), for error messages and for checks that need it. */
record RecordLocation(Path file, int line) {

  DatasetFormatException fail(String field, String problem) {
    return new DatasetFormatException(file, line, field, problem);
  }

  /**
   * The image {@code relativePath} under {@code folder}, checked to exist now so that a dataset with a missing
   * picture fails at read time, not in the middle of training.
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
    return new FileImage(path);
  }
}
