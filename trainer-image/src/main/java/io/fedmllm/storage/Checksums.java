package io.fedmllm.storage;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/** SHA-256 in the two spellings the protocol uses: lower-case hex in manifests, base64 on the S3 wire. */
public final class Checksums {

  private Checksums() {}

  public static byte[] sha256(byte[] data) {
    return newSha256().digest(data);
  }

  /** A fresh SHA-256 digest, for hashing bytes as they stream in. */
  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  /** Lower-case hex SHA-256, 64 characters. */
  public static String sha256Hex(byte[] data) {
    return HexFormat.of().formatHex(sha256(data));
  }

  static String sha256Base64(byte[] data) {
    return Base64.getEncoder().encodeToString(sha256(data));
  }
}
