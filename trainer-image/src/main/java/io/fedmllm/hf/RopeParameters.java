package io.fedmllm.hf;

import java.util.Map;
import java.util.TreeMap;

/**
 * Rotary embedding settings: {@code theta} and the scaling type with its numeric parameters (factor, ...). Hub configs
 * spell them {@code rope_theta} and {@code rope_scaling}; transformers 5 writes {@code rope_parameters} holding both.
 */
public record RopeParameters(double theta, String type, Map<String, Double> scaling) {

  static final String DEFAULT_TYPE = "default";

  public RopeParameters {
    scaling = Map.copyOf(scaling);
  }

  static RopeParameters read(ConfigFields text, double defaultTheta) throws CheckpointException {
    double theta = text.positiveNumber("rope_theta", defaultTheta);
    String type = DEFAULT_TYPE;
    Map<String, Double> scaling = new TreeMap<>();
    for (String key : new String[] {"rope_scaling", "rope_parameters"}) {
      if (!text.has(key)) {
        continue;
      }
      ConfigFields rope = text.object(key);
      theta = rope.positiveNumber("rope_theta", theta);
      type = rope.string("rope_type", rope.string("type", type));
      for (String factor : new String[] {"factor", "original_max_position_embeddings", "low_freq_factor",
          "high_freq_factor", "beta_fast", "beta_slow", "attention_factor"}) {
        if (rope.has(factor)) {
          scaling.put(factor, rope.positiveNumber(factor, 1));
        }
      }
    }
    return new RopeParameters(theta, type, scaling);
  }

  /** Whether the plain rotary embedding applies (no frequency scaling). */
  public boolean isDefault() {
    return DEFAULT_TYPE.equals(type);
  }
}
