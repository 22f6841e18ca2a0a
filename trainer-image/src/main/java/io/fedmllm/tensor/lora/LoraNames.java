package io.fedmllm.tensor.lora;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tensor names of LoRA factors as PEFT writes them for a causal LM:
 * {@code base_model.model.model.layers.<i>.self_attn.<module>.lora_A.weight} with shape {@code [r, in]} and
 * {@code ...lora_B.weight} with shape {@code [out, r]}. Multimodal checkpoints put their decoder one level down
 * ({@code base_model.model.model.language_model.layers...} for LLaVA, {@code ...model.text_model.layers...} for
 * SmolVLM) and may adapt MLP projections ({@code layers.<i>.mlp.gate_proj}); {@link #parse} reads all of these.
 */
public final class LoraNames {

  /** The attention projections this project adapts, in PEFT's spelling. */
  public static final List<String> ATTENTION_PROJECTIONS = List.of("q_proj", "k_proj", "v_proj", "o_proj");

  private static final String PREFIX = "base_model.model.model.layers.";
  private static final Pattern MODULE = Pattern.compile("[A-Za-z0-9_]+");
  private static final String WRAPPER = "base_model.model.";
  private static final String FACTOR_SUFFIX = "\\.lora_([AB])\\.weight";
  private static final Pattern NAME = Pattern.compile(Pattern.quote(WRAPPER)
      + "(model\\.(?:language_model\\.|text_model\\.)?layers\\.(0|[1-9][0-9]{0,8})\\.(self_attn|mlp)\\.([A-Za-z0-9_]+))"
      + FACTOR_SUFFIX);

  /** Which of the two low-rank factors a tensor is. */
  public enum Factor {
    /** Down-projection {@code [r, in]}. */
    A,
    /** Up-projection {@code [out, r]}, initialised to zero. */
    B
  }

  /**
   * A parsed LoRA tensor name.
   *
   * @param modulePath the adapted module's path in the model PEFT wraps, e.g. {@code model.layers.0.self_attn.q_proj}
   *     (what {@code target_modules} is matched against)
   * @param layer the decoder layer
   * @param module the projection, e.g. {@code q_proj}
   */
  public record LoraTensorName(String modulePath, int layer, String module, Factor factor) {
    /** The name of the other factor of the same module. */
    public String partner() {
      return factorName(modulePath, factor == Factor.A ? Factor.B : Factor.A);
    }
  }

  /** The tensor name of a factor of the module at {@code modulePath} in the model PEFT wraps. */
  public static String factorName(String modulePath, Factor factor) {
    return WRAPPER + modulePath + ".lora_" + factor + ".weight";
  }

  private LoraNames() {}

  /** Name of the A factor ({@code [r, in]}) of {@code module} (e.g. {@code "q_proj"}) in decoder layer {@code layer}. */
  public static String a(int layer, String module) {
    return name(layer, module, Factor.A);
  }

  /** Name of the B factor ({@code [out, r]}) of {@code module} in decoder layer {@code layer}. */
  public static String b(int layer, String module) {
    return name(layer, module, Factor.B);
  }

  public static String name(int layer, String module, Factor factor) {
    if (layer < 0) {
      throw new IllegalArgumentException("layer index must be >= 0, got " + layer);
    }
    if (module == null || !MODULE.matcher(module).matches()) {
      throw new IllegalArgumentException("invalid module name '" + module + "'");
    }
    return PREFIX + layer + ".self_attn." + module + ".lora_" + factor + ".weight";
  }

  /** Parses a PEFT LoRA tensor name; empty when the name does not follow the layout. */
  public static Optional<LoraTensorName> parse(String name) {
    Matcher m = NAME.matcher(name);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new LoraTensorName(
        m.group(1), Integer.parseInt(m.group(2)), m.group(4), Factor.valueOf(m.group(5))));
  }
}
