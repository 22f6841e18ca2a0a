package io.fedmllm.hf;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rotary embedding settings: {@code theta} and the scaling type with its numeric parameters (factor, ...). Hub configs
 * spell them {@code rope_theta} and {@code rope_scaling}; transformers 5 writes {@code rope_parameters} holding both.
 */
public record RopeParameters(double theta, String type, Map<String, Double> scaling) {

  static final String DEFAULT_TYPE = "default";
  /** The scaling types transformers computes that this project computes the same way. */
  static final List<String> SUPPORTED_TYPES = List.of(DEFAULT_TYPE, "linear", "dynamic", "llama3");

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
      if (!SUPPORTED_TYPES.contains(type)) {
        throw rope.error(rope.has("rope_type") ? "rope_type" : "type",
            "'" + type + "' is not supported (supported: " + String.join(", ", SUPPORTED_TYPES) + ")");
      }
      for (String factor : new String[] {"factor", "original_max_position_embeddings", "low_freq_factor",
          "high_freq_factor", "beta_fast", "beta_slow", "attention_factor"}) {
        if (rope.has(factor)) {
          scaling.put(factor, rope.positiveNumber(factor, 1));
        }
      }
    }
    for (String required : requiredFactors(type)) {
      if (!scaling.containsKey(required)) {
        throw text.error(text.has("rope_parameters") ? "rope_parameters" : "rope_scaling",
            "of type '" + type + "' lacks " + required);
      }
    }
    return new RopeParameters(theta, type, scaling);
  }

  private static List<String> requiredFactors(String type) {
    return switch (type) {
      case "linear", "dynamic" -> List.of("factor");
      case "llama3" -> List.of("factor", "low_freq_factor", "high_freq_factor", "original_max_position_embeddings");
      default -> List.of();
    };
  }

  /**
   * The rotary inverse frequencies of a head of {@code headDim}, as transformers' rope initialisation functions
   * compute them in float32: {@code theta^(-2i/d)}, divided by {@code factor} for {@code linear}, and for {@code
   * llama3} divided by {@code factor} below the low-frequency wavelength, kept above the high-frequency one and
   * blended in between. {@code dynamic} equals the default within the original context (checked by the caller).
   */
  public float[] inverseFrequencies(int headDim) {
    float[] inv = new float[headDim / 2];
    for (int i = 0; i < inv.length; i++) {
      float exponent = (float) (2 * i) / headDim;
      inv[i] = (float) (1.0 / (float) Math.pow(theta, exponent));
    }
    if (type.equals("linear")) {
      float factor = scaling.get("factor").floatValue();
      for (int i = 0; i < inv.length; i++) {
        inv[i] = inv[i] / factor;
      }
    } else if (type.equals("llama3")) {
      double factor = scaling.get("factor");
      double low = scaling.get("low_freq_factor");
      double high = scaling.get("high_freq_factor");
      double context = scaling.get("original_max_position_embeddings");
      double lowWavelength = context / low;
      double highWavelength = context / high;
      for (int i = 0; i < inv.length; i++) {
        double wavelength = 2 * Math.PI / inv[i];
        float scaled = wavelength > lowWavelength ? (float) (inv[i] / factor) : inv[i];
        if (!(wavelength < highWavelength) && !(wavelength > lowWavelength)) {
          double smooth = (context / wavelength - low) / (high - low);
          scaled = (float) ((1 - smooth) * scaled / factor + smooth * scaled);
        }
        inv[i] = scaled;
      }
    }
    return inv;
  }

  /** Positions the frequencies hold for: {@code dynamic} scaling changes them past the original context. */
  public int validPositions(int maxPositionEmbeddings) {
    if (type.equals("dynamic")) {
      Double original = scaling.get("original_max_position_embeddings");
      return original != null ? original.intValue() : maxPositionEmbeddings;
    }
    return Integer.MAX_VALUE;
  }

  /** Whether the plain rotary embedding applies (no frequency scaling). */
  public boolean isDefault() {
    return DEFAULT_TYPE.equals(type);
  }
}
