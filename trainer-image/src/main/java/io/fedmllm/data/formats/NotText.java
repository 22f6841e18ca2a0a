package io.fedmllm.data.formats;

import io.fedmllm.api.validation.Utf8Check;
import io.fedmllm.data.DatasetFormatException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;

/** The error for a dataset file that is not UTF-8 text (a binary file given as data), naming the bad byte's line. */
final class NotText {

  private NotText() {}

  static DatasetFormatException at(Path file, CharacterCodingException cause) {
    int line;
    try {
      line = Utf8Check.firstMalformedLine(file).orElse(0);
    } catch (IOException e) {
      line = 0;
    }
    return new DatasetFormatException(file, line, null, "not UTF-8 text (is this a binary file?)", cause);
  }
}
