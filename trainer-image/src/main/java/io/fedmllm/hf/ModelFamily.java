package io.fedmllm.hf;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The multimodal checkpoint families this project reads, by their config.json {@code model_type} and class. */
public enum ModelFamily {
  /** SmolVLM / Idefics3: vision transformer, pixel shuffle, bias-free linear connector, Llama decoder. */
  SMOLVLM(List.of("smolvlm", "idefics3"),
      List.of("SmolVLMForConditionalGeneration", "Idefics3ForConditionalGeneration")),
  /** LLaVA: CLIP or SigLIP tower, two-layer projector, Llama/Mistral/Qwen2 decoder. */
  LLAVA(List.of("llava"), List.of("LlavaForConditionalGeneration"));

  private final List<String> modelTypes;
  private final List<String> architectures;

  ModelFamily(List<String> modelTypes, List<String> architectures) {
    this.modelTypes = modelTypes;
    this.architectures = architectures;
  }

  public List<String> modelTypes() {
    return modelTypes;
  }

  public List<String> architectures() {
    return architectures;
  }

  /**
   * The family of a config: {@code model_type} must be one of ours, and every entry of {@code architectures} (when
   * present) must be a class of that family.
   */
  public static ModelFamily of(String modelType, List<String> architectureNames, String file)
      throws CheckpointException {
    Optional<ModelFamily> family = Arrays.stream(values()).filter(f -> f.modelTypes.contains(modelType)).findFirst();
    if (family.isEmpty()) {
      throw new CheckpointException(file + ": model_type '" + modelType + "' is not supported (supported: "
          + supported(f -> f.modelTypes) + ")");
    }
    for (String architecture : architectureNames) {
      if (!family.get().architectures.contains(architecture)) {
        throw new CheckpointException(file + ": architectures entry '" + architecture
            + "' is not supported (supported: " + supported(f -> f.architectures) + ")");
      }
    }
    return family.get();
  }

  private static String supported(java.util.function.Function<ModelFamily, List<String>> names) {
    return Arrays.stream(values()).flatMap(f -> names.apply(f).stream()).collect(Collectors.joining(", "));
  }
}
