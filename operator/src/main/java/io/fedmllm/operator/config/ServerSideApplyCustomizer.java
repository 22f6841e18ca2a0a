package io.fedmllm.operator.config;

import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurationServiceCustomizer;
import jakarta.inject.Singleton;
import java.util.function.Consumer;

/**
 * Turns JOSDK's server-side apply (dependent create/update/match and primary status patches) off when
 * {@code fedmllm.operator.server-side-apply=false}: only the test profile does, because the fabric8 mock server has no
 * server-side apply. A real API server always gets SSA.
 */
@Singleton
public class ServerSideApplyCustomizer implements ConfigurationServiceCustomizer {

  private final OperatorConfig config;

  public ServerSideApplyCustomizer(OperatorConfig config) {
    this.config = config;
  }

  @Override
  public Consumer<ConfigurationServiceOverrider> overrider() {
    boolean ssa = config.serverSideApply();
    return o -> o.withSSABasedCreateUpdateMatchForDependentResources(ssa).withUseSSAToPatchPrimaryResource(ssa);
  }
}
