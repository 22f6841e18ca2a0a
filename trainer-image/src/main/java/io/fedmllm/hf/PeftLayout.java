package io.fedmllm.hf;

import io.fedmllm.tensor.lora.LoraNames;
import io.fedmllm.tensor.lora.TargetModules;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How PEFT names the LoRA adapters of a family's language model, and the canonical module names of {@code hf.nn}
 * ({@code text.layers.0.self_attn.q_proj}) they belong to. PEFT wraps the transformers model, so a factor of the
 * module at {@code model.text_model.layers.0.self_attn.q_proj} is stored as {@code base_model.model.} + that path +
 * {@code .lora_A.weight}; SmolVLM / Idefics3 keep their decoder under {@code model.text_model}, LLaVA under
 * {@code model.language_model}.
 *
 * <p>{@link #targetModules} is a regex that selects only decoder modules: the vision towers have {@code q_proj},
 * {@code k_proj} and {@code v_proj} as well, and a plain list would give them adapters too.
 */
public final class PeftLayout {

  private static final String CANONICAL_DECODER = "text.";
  private static final Pattern PROJECTION = Pattern.compile("[a-z][a-z0-9_]*");

  private final String decoderPath;

  private PeftLayout(String decoderPath) {
    this.decoderPath = decoderPath;
  }

  public static PeftLayout of(ModelFamily family) {
    return new PeftLayout(family == ModelFamily.LLAVA ? "model.language_model." : "model.text_model.");
  }

  /** The PEFT tensor name of a factor of the decoder module {@code canonicalModule}. */
  public String tensorName(String canonicalModule, LoraNames.Factor factor) {
    if (!canonicalModule.startsWith(CANONICAL_DECODER)) {
      throw new IllegalArgumentException("LoRA adapters go on decoder modules (text.*), not " + canonicalModule);
    }
    return LoraNames.factorName(decoderPath + canonicalModule.substring(CANONICAL_DECODER.length()), factor);
  }

  /** The canonical decoder module a PEFT tensor name adapts; fails naming the tensor when it is not one of ours. */
  public String canonicalModule(String tensorName) {
    LoraNames.LoraTensorName parsed = LoraNames.parse(tensorName)
        .filter(n -> n.modulePath().startsWith(decoderPath))
        .orElseThrow(() -> new IllegalArgumentException("adapter tensor '" + tensorName
            + "' is not a LoRA factor of a decoder module (expected base_model.model." + decoderPath
            + "layers.<i>.(self_attn|mlp).<proj>.lora_A|lora_B.weight)"));
    return CANONICAL_DECODER + parsed.modulePath().substring(decoderPath.length());
  }

  /** PEFT's {@code target_modules} for adapters on these projections of every decoder layer, and nothing else. */
  public TargetModules targetModules(List<String> projections) {
    if (projections.isEmpty()) {
      throw new IllegalArgumentException("LoRA needs at least one target projection");
    }
    for (String p : projections) {
      if (!PROJECTION.matcher(p).matches()) {
        throw new IllegalArgumentException("invalid projection name '" + p + "'");
      }
    }
    String decoder = decoderPath.substring("model.".length(), decoderPath.length() - 1);
    return TargetModules.regex(".*" + decoder + ".*\\.(" + String.join("|", projections) + ")");
  }
}
