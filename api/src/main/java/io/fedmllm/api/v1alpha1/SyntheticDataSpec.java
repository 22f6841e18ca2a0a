package io.fedmllm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Data from the built-in seeded generator. With scenario, clients and index the generated pool is split like the
 * paper's benchmark (Dirichlet label skew, then the modality scenario) and this source is one part of it.
 */
@ValidationRule(value = CelRules.PARTITION_ALL_OR_NONE, message = CelRules.PARTITION_ALL_OR_NONE_MESSAGE)
@ValidationRule(
    value = CelRules.PARTITION_INDEX_IN_RANGE,
    message = CelRules.PARTITION_INDEX_IN_RANGE_MESSAGE,
    fieldPath = ".index")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SyntheticDataSpec {

  @JsonPropertyDescription(
      "What to generate: <task>[,seed=N][,size=N][,count=N], e.g. hateful,seed=42,count=1000. The seed also "
      + "seeds the partition.")
  @Required
  @Pattern(ApiPatterns.SYNTHETIC_GENERATOR)
  private String generator;

  @JsonPropertyDescription(
      "Heterogeneity scenario of the split: aligned:<alpha>, missing:<beta>, cross:<I>:<T> or hybrid:<p>, "
      + "e.g. missing:0.3.")
  @Pattern(ApiPatterns.SCENARIO)
  private String scenario;

  @JsonPropertyDescription("Number of parts the pool is split into (the number of clients sharing it).")
  @Min(1)
  @Max(10000)
  private Integer clients;

  @JsonPropertyDescription("Which part this source is, from 0 to clients-1.")
  @Min(0)
  private Integer index;

  public String getGenerator() {
    return generator;
  }

  public void setGenerator(String generator) {
    this.generator = generator;
  }

  public String getScenario() {
    return scenario;
  }

  public void setScenario(String scenario) {
    this.scenario = scenario;
  }

  public Integer getClients() {
    return clients;
  }

  public void setClients(Integer clients) {
    this.clients = clients;
  }

  public Integer getIndex() {
    return index;
  }

  public void setIndex(Integer index) {
    this.index = index;
  }
}
