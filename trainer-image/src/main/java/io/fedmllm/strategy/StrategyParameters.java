package io.fedmllm.strategy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Resolves a strategy's numeric parameters from a user-supplied map: defaults for absent keys, range checks, and an
 * error naming any key the strategy does not know. Also renders the resolved values canonically for
 * {@link ServerState}.
 */
final class StrategyParameters {

  private final String strategy;
  private final Map<String, ? extends Number> given;
  private final TreeMap<String, String> resolved = new TreeMap<>();

  StrategyParameters(String strategy, Map<String, ? extends Number> given) {
    this.strategy = strategy;
    this.given = given;
  }

  /** A rate-like parameter that must be finite and {@code > 0}. */
  double positive(String key, double defaultValue) {
    double v = value(key, defaultValue);
    if (!(v > 0) || !Double.isFinite(v)) {
      throw invalid(key, v, "must be finite and > 0");
    }
    return record(key, v);
  }

  /** A decay factor in {@code [0, 1)}. */
  double decay(String key, double defaultValue) {
    double v = value(key, defaultValue);
    if (!(v >= 0 && v < 1)) {
      throw invalid(key, v, "must be in [0, 1)");
    }
    return record(key, v);
  }

  /** A required whole number {@code >= 1}. */
  long count(String key) {
    Number n = given.get(key);
    if (n == null) {
      throw new IllegalArgumentException("strategy " + strategy + " requires parameter " + key);
    }
    double v = n.doubleValue();
    if (v < 1 || v != Math.rint(v) || v > Long.MAX_VALUE) {
      throw invalid(key, v, "must be a whole number >= 1");
    }
    resolved.put(key, Long.toString((long) v));
    return (long) v;
  }

  /** Fails on keys that were never asked for; returns the canonical text of the resolved values. */
  String finish() {
    List<String> unknown = new ArrayList<>(new TreeSet<>(given.keySet()));
    unknown.removeAll(resolved.keySet());
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown parameter" + (unknown.size() > 1 ? "s " : " ") + unknown
          + " for strategy " + strategy + "; valid: " + resolved.keySet());
    }
    List<String> parts = new ArrayList<>();
    resolved.forEach((k, v) -> parts.add(k + "=" + v));
    return String.join(",", parts);
  }

  private double value(String key, double defaultValue) {
    Number n = given.get(key);
    return n == null ? defaultValue : n.doubleValue();
  }

  private double record(String key, double v) {
    resolved.put(key, Double.toString(v));
    return v;
  }

  private IllegalArgumentException invalid(String key, double v, String rule) {
    return new IllegalArgumentException("strategy " + strategy + " parameter " + key + " = " + v + ": " + rule);
  }
}
