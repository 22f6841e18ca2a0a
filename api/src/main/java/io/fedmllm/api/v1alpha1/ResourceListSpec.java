package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/**
 * Amounts of compute resources, as Kubernetes quantities.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourceListSpec {

  @JsonPropertyDescription("CPU, e.g. 500m or 2.")
  @Pattern(ApiPatterns.QUANTITY)
  private String cpu;

  @JsonPropertyDescription("Memory, e.g. 4Gi.")
  @Pattern(ApiPatterns.QUANTITY)
  private String memory;

  @JsonPropertyDescription("Scratch disk, e.g. 10Gi.")
  @JsonProperty("ephemeral-storage")
  @Pattern(ApiPatterns.QUANTITY)
  private String ephemeralStorage;

  @JsonPropertyDescription("NVIDIA GPUs (the device plugin's nvidia.com/gpu); whole devices only.")
  @JsonProperty("nvidia.com/gpu")
  @Min(0)
  @Max(64)
  private Integer nvidiaGpu;

  public String getCpu() {
    return cpu;
  }

  public void setCpu(String cpu) {
    this.cpu = cpu;
  }

  public String getMemory() {
    return memory;
  }

  public void setMemory(String memory) {
    this.memory = memory;
  }

  public String getEphemeralStorage() {
    return ephemeralStorage;
  }

  public void setEphemeralStorage(String ephemeralStorage) {
    this.ephemeralStorage = ephemeralStorage;
  }

  public Integer getNvidiaGpu() {
    return nvidiaGpu;
  }

  public void setNvidiaGpu(Integer nvidiaGpu) {
    this.nvidiaGpu = nvidiaGpu;
  }
}
