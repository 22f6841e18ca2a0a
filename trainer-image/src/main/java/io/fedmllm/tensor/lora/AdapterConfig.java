package io.fedmllm.tensor.lora;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * The {@code adapter_config.json} of a PEFT LoRA adapter. Unknown fields written by PEFT itself (rank_pattern,
 * use_dora, ...) are ignored on read; only plain LoRA without bias training is accepted.
 *
 * <p>{@code lora_alpha} is a number, not necessarily whole: PEFT computes {@code scaling = lora_alpha / r} and does not
 * require an int (its annotation says int, its dataclass does not check). A whole alpha is written without a
 * fraction ({@code 8}), any other as the double it is ({@code 12.5}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder(alphabetic = true)
public record AdapterConfig(
    @JsonProperty("base_model_name_or_path") String baseModelNameOrPath,
    @JsonProperty("bias") String bias,
    @JsonProperty("inference_mode") boolean inferenceMode,
    @JsonProperty("lora_alpha") @JsonSerialize(using = AdapterConfig.WholeAsInteger.class) double loraAlpha,
    @JsonProperty("lora_dropout") double loraDropout,
    @JsonProperty("peft_type") String peftType,
    @JsonProperty("r") int r,
    @JsonProperty("target_modules") TargetModules targetModules,
    @JsonProperty("task_type") String taskType) {

  public static final String PEFT_TYPE = "LORA";
  public static final String TASK_TYPE = "CAUSAL_LM";
  public static final String NO_BIAS = "none";

  @JsonCreator
  public AdapterConfig {
    if (r < 1) {
      throw new IllegalArgumentException("adapter_config r must be >= 1, got " + r);
    }
    if (!(loraAlpha > 0) || !Double.isFinite(loraAlpha)) {
      throw new IllegalArgumentException("adapter_config lora_alpha must be > 0, got " + loraAlpha);
    }
    if (!(loraDropout >= 0 && loraDropout < 1)) {
      throw new IllegalArgumentException("adapter_config lora_dropout must be in [0, 1), got " + loraDropout);
    }
    if (!PEFT_TYPE.equals(peftType)) {
      throw new IllegalArgumentException("adapter_config peft_type must be " + PEFT_TYPE + ", got " + peftType);
    }
    if (!NO_BIAS.equals(bias)) {
      throw new IllegalArgumentException("adapter_config bias must be \"none\", got " + bias);
    }
    if (targetModules == null) {
      throw new IllegalArgumentException("adapter_config target_modules is missing");
    }
    if (taskType == null || taskType.isBlank()) {
      throw new IllegalArgumentException("adapter_config task_type is missing");
    }
  }

  /** The project's defaults (the paper's recipe): r 8, alpha 8, dropout 0.05 on q/k/v/o, causal LM, training mode. */
  public static AdapterConfig defaults(String baseModelNameOrPath) {
    return of(baseModelNameOrPath, 8, 8, 0.05);
  }

  /** A LoRA config on the four attention projections of a causal LM, in training mode. */
  public static AdapterConfig of(String baseModelNameOrPath, int r, double loraAlpha, double loraDropout) {
    return new AdapterConfig(baseModelNameOrPath, NO_BIAS, false, loraAlpha, loraDropout, PEFT_TYPE, r,
        TargetModules.list(LoraNames.ATTENTION_PROJECTIONS), TASK_TYPE);
  }

  /** LoRA's output scale {@code lora_alpha / r}. */
  public double scaling() {
    return loraAlpha / r;
  }

  public AdapterConfig withInferenceMode(boolean inference) {
    return new AdapterConfig(baseModelNameOrPath, bias, inference, loraAlpha, loraDropout, peftType, r,
        targetModules, taskType);
  }

  /** Writes a whole number without a fraction ({@code 8}, as PEFT itself writes an int alpha), others as doubles. */
  static final class WholeAsInteger extends StdSerializer<Double> {
    WholeAsInteger() {
      super(Double.class);
    }

    @Override
    public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
      double v = value;
      if (v == Math.rint(v) && Math.abs(v) < 0x1p53) {
        gen.writeNumber((long) v);
      } else {
        gen.writeNumber(v);
      }
    }
  }
}
