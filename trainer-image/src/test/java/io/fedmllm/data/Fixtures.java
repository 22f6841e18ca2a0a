package io.fedmllm.data;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** The committed dataset fixtures under src/test/resources/fixtures. */
public final class Fixtures {

  private Fixtures() {}

  public static Path path(String relative) {
    URL url = Fixtures.class.getResource("/fixtures/" + relative);
    if (url == null) {
      throw new IllegalStateException("no fixture " + relative);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
