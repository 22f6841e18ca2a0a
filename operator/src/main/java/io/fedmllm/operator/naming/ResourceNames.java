package io.fedmllm.operator.naming;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Every child object's name, in one place. Federation and client names are DNS subdomains of up to 253 characters;
 * pods, services and label values need at most 63, so a long name is cut and given a short hash of the whole name,
 * which keeps it unique and stable.
 */
public final class ResourceNames {

  /** Longest DNS-1123 label (Service names, label values). */
  public static final int MAX_LABEL = 63;

  private ResourceNames() {}

  /** The aggregator pod of a federation. */
  public static String aggregatorPod(String federation) {
    return bounded(federation, "-aggregator");
  }

  /** The Service exposing the aggregator's Prometheus endpoint. */
  public static String metricsService(String federation) {
    return bounded(federation, "-metrics");
  }

  /** The ConfigMap holding the rendered federation manifest. */
  public static String configMap(String federation) {
    return bounded(federation, "-config");
  }

  /** The trainer pod of a client (client names are unique per namespace). */
  public static String trainerPod(String client) {
    return bounded(client, "-trainer");
  }

  /** {@code name} as a label value: itself when short enough, otherwise cut and hashed. */
  public static String labelValue(String name) {
    return bounded(name, "");
  }

  /** The storage prefix of a federation when its spec leaves it out: {@code <namespace>/<name>}. */
  public static String defaultStoragePrefix(String namespace, String federation) {
    return namespace + "/" + federation;
  }

  static String bounded(String base, String suffix) {
    if (base.length() + suffix.length() <= MAX_LABEL) {
      return base + suffix;
    }
    String hash = shortHash(base);
    int keep = MAX_LABEL - suffix.length() - hash.length() - 1;
    String head = base.substring(0, keep).replaceAll("[.-]+$", "");
    return head + "-" + hash + suffix;
  }

  private static String shortHash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
    }
  }
}
