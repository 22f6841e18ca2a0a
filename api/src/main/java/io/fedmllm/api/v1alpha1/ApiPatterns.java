package io.fedmllm.api.v1alpha1;

/**
 * The string patterns of the API, shared by the {@code @Pattern} annotations (the CRD schema) and the Java validator.
 * Each is anchored and uses only syntax that ECMAScript (the API server) and java.util.regex read the same way.
 */
public final class ApiPatterns {

  private ApiPatterns() {}

  /** Go-style duration: whole numbers with units ms, s, m or h, e.g. {@code 10m}, {@code 1h30m}, {@code 90s}. */
  public static final String DURATION = "^([0-9]+(ms|s|m|h))+$";

  /**
   * The name of a Federation or FederationClient: a DNS-1035 label (lower-case letters, digits and '-', starting with
   * a letter, ending with a letter or digit, up to 63 characters). Stricter than what the API server asks of a
   * custom resource (a DNS-1123 subdomain) because the operator names child objects after it: the
   * {@code <name>-metrics} Service needs a DNS-1035 label, and the pods read the rendered manifest back, where names
   * are labels and client ids.
   */
  public static final String RESOURCE_NAME = "^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$";

  /** A Kubernetes object name such as a PriorityClass or RuntimeClass (DNS-1123 subdomain). */
  public static final String DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** A Kubernetes resource quantity, e.g. {@code 500m}, {@code 2}, {@code 8Gi}. */
  public static final String QUANTITY = "^([+]?[0-9]+(\\.[0-9]+)?|[+]?\\.[0-9]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?[0-9]+)?$";

  /** An S3 bucket name. */
  public static final String BUCKET = "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$";

  /** An object URI in S3-compatible storage: {@code s3://bucket/key}. */
  public static final String S3_URI = "^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$";

  /** A key prefix inside a bucket: no leading or trailing slash. */
  public static final String PREFIX = "^[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*$";

  /**
   * A model's name as Hugging Face writes it in base_model_name_or_path: a hub id ({@code org/name}) or a path;
   * letters, digits, '.', '_', '-' and '/'.
   */
  public static final String MODEL_NAME = "^[A-Za-z0-9._/-]+$";

  /** An http(s) endpoint URL. */
  public static final String ENDPOINT = "^https?://[^\\s/]+(/.*)?$";

  /** The built-in generator's spec: {@code <task>[,seed=N][,size=N][,count=N]}, e.g. {@code hateful,seed=7,count=200}. */
  public static final String SYNTHETIC_GENERATOR = "^(hateful|crisis|vqa)(,(seed|size|count)=[0-9]+)*$";

  /**
   * A heterogeneity scenario of the paper: {@code aligned:<alpha>}, {@code missing:<beta>}, {@code cross:<I>:<T>} or
   * {@code hybrid:<p>}; probabilities as fractions (0.3) or percentages (30%).
   */
  public static final String SCENARIO =
      "^(aligned:[0-9]+(\\.[0-9]+)?|(missing|hybrid):[0-9]+(\\.[0-9]+)?%?|cross:[0-9]+:[0-9]+)$";

  /** A label key or value of a node selector (lenient: the API server checks the exact syntax). */
  public static final String LABEL_KEY = "^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$";
}
