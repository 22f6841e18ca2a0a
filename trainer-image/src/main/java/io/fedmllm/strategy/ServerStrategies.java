package io.fedmllm.strategy;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Creates server strategies by the names used in federation specs. */
public final class ServerStrategies {

  /** Every valid strategy name. */
  public static final List<String> NAMES =
      List.of(FedAvg.NAME, FedAvgM.NAME, FedAdagrad.NAME, FedAdam.NAME, FedYogi.NAME, Scaffold.NAME);

  private ServerStrategies() {}

  /**
   * The strategy called {@code name} (case-insensitive) configured with {@code params}; absent parameters take the
   * paper's defaults.
   *
   * @throws IllegalArgumentException for an unknown name (the message lists the valid ones), an unknown parameter
   *     (the message lists the strategy's parameters) or an out-of-range value
   */
  public static ServerStrategy create(String name, Map<String, ? extends Number> params) {
    String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    return switch (key) {
      case FedAvg.NAME -> new FedAvg(params);
      case FedAvgM.NAME -> new FedAvgM(params);
      case FedAdagrad.NAME -> new FedAdagrad(params);
      case FedAdam.NAME -> new FedAdam(params);
      case FedYogi.NAME -> new FedYogi(params);
      case Scaffold.NAME -> new Scaffold(params);
      default -> throw new IllegalArgumentException(
          "unknown server strategy '" + name + "'; valid: " + String.join(", ", NAMES));
    };
  }

  /** The strategy called {@code name} with default parameters. */
  public static ServerStrategy create(String name) {
    return create(name, Map.of());
  }
}
