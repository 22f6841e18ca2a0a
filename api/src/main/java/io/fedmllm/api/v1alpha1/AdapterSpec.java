package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * LoRA hyper-parameters. Only the adapters are trained and exchanged; base weights stay frozen.
 */
@ValidationRule(
    value = CelRules.TARGETS_UNIQUE,
    message = CelRules.TARGETS_UNIQUE_MESSAGE,
    fieldPath = ".targetModules")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AdapterSpec {

  @JsonPropertyDescription("LoRA rank.")
  @Default("8")
  @Min(1)
  @Max(256)
  private Integer r = 8;

  @JsonPropertyDescription("LoRA scaling numerator: the update is scaled by alpha / r.")
  @Default("8")
  @Min(value = 0, inclusive = false)
  @Max(4096)
  private Double alpha = 8.0;

  @JsonPropertyDescription("Dropout on the adapter input, in [0, 1).")
  @Default("0.05")
  @Min(0)
  @Max(value = 1, inclusive = false)
  private Double dropout = 0.05;

  @JsonPropertyDescription(
      "Projections of every decoder layer that get an adapter: q/k/v/o_proj, and gate/up/down_proj of a Hugging "
      + "Face checkpoint's MLP (the built-in presets have attention projections only).")
  @Default("[\"q_proj\", \"k_proj\", \"v_proj\", \"o_proj\"]")
  @Size(min = 1, max = 7)
  private List<TargetModule> targetModules =
      List.of(TargetModule.Q_PROJ, TargetModule.K_PROJ, TargetModule.V_PROJ, TargetModule.O_PROJ);

  @JsonPropertyDescription(
      "Element type of the updates trainers upload: float16 halves the bytes moved per round (values rounded to "
      + "about three decimal digits, widened to float32 before aggregation); not with the scaffold strategy.")
  @Default("float32")
  private AdapterTransferDtype transferDtype = AdapterTransferDtype.FLOAT32;

  public Integer getR() {
    return r;
  }

  public void setR(Integer r) {
    this.r = r;
  }

  public Double getAlpha() {
    return alpha;
  }

  public void setAlpha(Double alpha) {
    this.alpha = alpha;
  }

  public Double getDropout() {
    return dropout;
  }

  public void setDropout(Double dropout) {
    this.dropout = dropout;
  }

  public AdapterTransferDtype getTransferDtype() {
    return transferDtype;
  }

  public void setTransferDtype(AdapterTransferDtype transferDtype) {
    this.transferDtype = transferDtype;
  }

  public List<TargetModule> getTargetModules() {
    return targetModules;
  }

  public void setTargetModules(List<TargetModule> targetModules) {
    this.targetModules = targetModules;
  }
}
