package io.fedmllm.api.validation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * Finds where a text file stops being UTF-8, so that a reader that met a {@link
 * java.nio.charset.MalformedInputException} (whose message is only "Input length = 1") can say
 * {@code FILE line N: not UTF-8 text}. Readers decode ahead in blocks, so the line they had reached is not the line of
 * the bad byte; this scans the bytes again from the start.
 */
public final class Utf8Check {

  private Utf8Check() {}

  /** The 1-based line holding the first byte sequence that is not UTF-8, or empty when the whole file decodes. */
  public static OptionalInt firstMalformedLine(Path file) throws IOException {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer bytes = ByteBuffer.allocate(64 * 1024);
    CharBuffer chars = CharBuffer.allocate(64 * 1024);
    int line = 1;
    try (InputStream in = Files.newInputStream(file)) {
      boolean end = false;
      while (!end) {
        int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (n < 0) {
          end = true;
        } else {
          bytes.position(bytes.position() + n);
        }
        bytes.flip();
        CoderResult result = decoder.decode(bytes, chars, end);
        line += newlines(chars);
        if (result.isError()) {
          return OptionalInt.of(line);
        }
        bytes.compact();
      }
      CoderResult result = decoder.flush(chars);
      return result.isError() ? OptionalInt.of(line) : OptionalInt.empty();
    }
  }

  private static int newlines(CharBuffer chars) {
    chars.flip();
    int count = 0;
    while (chars.hasRemaining()) {
      if (chars.get() == '\n') {
        count++;
      }
    }
    chars.clear();
    return count;
  }
}
