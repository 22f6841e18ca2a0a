package io.fedmllm.api.validation;

import io.fedmllm.api.v1alpha1.ApiPatterns;
import java.util.Map;

/** Words for the API's patterns, so an error says "a duration like 10m" instead of printing a regular expression. */
final class PatternDescriptions {

  private static final Map<String, String> WORDS = Map.ofEntries(
      Map.entry(ApiPatterns.DURATION, "a duration such as 10m, 90s or 1h30m"),
      Map.entry(ApiPatterns.RESOURCE_NAME, "a DNS-1035 label (at most 63 lower-case letters, digits and '-', starting"
          + " with a letter and ending with a letter or digit)"),
      Map.entry(ApiPatterns.DNS_SUBDOMAIN, "a DNS-1123 name (lower-case letters, digits, '-' and '.')"),
      Map.entry(ApiPatterns.QUANTITY, "a Kubernetes quantity such as 500m, 2 or 8Gi"),
      Map.entry(ApiPatterns.BUCKET, "an S3 bucket name (3-63 lower-case letters, digits, '.' and '-')"),
      Map.entry(ApiPatterns.S3_URI, "an s3://bucket/key URI"),
      Map.entry(ApiPatterns.PREFIX, "a key prefix without leading or trailing '/'"),
      Map.entry(ApiPatterns.ENDPOINT, "an http:// or https:// URL"),
      Map.entry(ApiPatterns.MODEL_NAME,
          "a model name such as HuggingFaceTB/SmolVLM-256M-Instruct (letters, digits, '.', '_', '-' and '/')"),
      Map.entry(ApiPatterns.SYNTHETIC_GENERATOR,
          "a generator spec <hateful|crisis|vqa>[,seed=N][,size=N][,count=N], e.g. hateful,seed=7,count=200"),
      Map.entry(ApiPatterns.SCENARIO,
          "a scenario aligned:<alpha>, missing:<beta>, cross:<I>:<T> or hybrid:<p>, e.g. missing:0.3"),
      Map.entry(ApiPatterns.LABEL_KEY, "a label key such as nvidia.com/gpu.product"));

  private PatternDescriptions() {}

  static String describe(String pattern) {
    return WORDS.getOrDefault(pattern, "matching " + pattern);
  }
}
