package io.fedmllm.api.progress;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Objects;

/**
 * How a manifest names a data object: its key, lower-case hex SHA-256 and size in bytes. A reader that fetches the
 * object checks both before using a single byte of it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ObjectRef(String key, String sha256, long size) {

  public ObjectRef {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(sha256, "sha256");
    if (!sha256.matches("[0-9a-f]{64}") || size < 0) {
      throw new IllegalArgumentException("object reference " + key + ": bad sha256 '" + sha256 + "' or size " + size);
    }
  }
}
