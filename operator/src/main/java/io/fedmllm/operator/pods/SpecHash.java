package io.fedmllm.operator.pods;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * A pod's desired spec (plus anything else it must restart for, such as its configuration) as a hash annotation.
 * Pods are mostly immutable, so a changed hash means "recreate", never "patch".
 */
public final class SpecHash {

  public static final String ANNOTATION = "fedmllm.io/spec-hash";

  private SpecHash() {}

  /** Stamps {@code pod} with the hash of its spec and {@code extra}. */
  public static Pod stamp(Pod pod, String extra) {
    String hash = of(Serialization.asJson(pod.getSpec()) + "\n" + extra);
    pod.getMetadata().getAnnotations().put(ANNOTATION, hash);
    return pod;
  }

  /** The hash a pod carries, or null. */
  public static String of(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(ANNOTATION);
  }

  /** First 16 hex digits of the SHA-256 of {@code text}. */
  public static String of(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
    }
  }
}
