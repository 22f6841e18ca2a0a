package io.fedmllm.strategy;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A server strategy's configuration with every hyper-parameter resolved (absent ones take the paper's defaults) and
 * checked: one record per strategy. What is not a hyper-parameter of the spec, the number of clients of the
 * federation (SCAFFOLD's {@code N}), is an explicit argument of {@link #create(int)}, so no caller can forget it and
 * a changing client pool can pass its current size.
 *
 * <p>As JSON (in {@code federation.json}) a configuration is an object whose {@code name} selects the strategy, e.g.
 * {@code {"name": "fedadam", "eta": 0.001, "tau": 0.001, "beta1": 0.9, "beta2": 0.99}}.
 *
 * <p>A constructor's {@link IllegalArgumentException} starts with the parameter's name ({@code eta = -1.0: must be
 * finite and > 0}), so a caller that maps a spec can prefix the field path.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "name")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ServerStrategyConfig.FedAvgConfig.class, name = FedAvg.NAME),
  @JsonSubTypes.Type(value = ServerStrategyConfig.FedAvgMConfig.class, name = FedAvgM.NAME),
  @JsonSubTypes.Type(value = ServerStrategyConfig.FedAdagradConfig.class, name = FedAdagrad.NAME),
  @JsonSubTypes.Type(value = ServerStrategyConfig.FedAdamConfig.class, name = FedAdam.NAME),
  @JsonSubTypes.Type(value = ServerStrategyConfig.FedYogiConfig.class, name = FedYogi.NAME),
  @JsonSubTypes.Type(value = ServerStrategyConfig.ScaffoldConfig.class, name = Scaffold.NAME)
})
public sealed interface ServerStrategyConfig {

  /** The paper's server learning rate and adaptivity constant of FedAdagrad, FedAdam and FedYogi. */
  double DEFAULT_ETA = 1e-3;
  double DEFAULT_TAU = 1e-3;
  double DEFAULT_BETA1 = 0.9;
  double DEFAULT_BETA2 = 0.99;
  /** SCAFFOLD's global step size: 1, the reference implementation's implicit value. */
  double DEFAULT_SCAFFOLD_ETA = 1.0;

  /** The name {@link ServerStrategies#NAMES} lists. */
  String strategyName();

  /** The resolved hyper-parameters by the names the spec uses. */
  Map<String, Double> parameters();

  /**
   * The strategy for a federation of {@code totalClients} clients (SCAFFOLD scales its control-variate update by
   * that number; the other strategies do not depend on it).
   *
   * @throws IllegalArgumentException when {@code totalClients < 1}
   */
  default ServerStrategy create(int totalClients) {
    if (totalClients < 1) {
      throw new IllegalArgumentException(strategyName() + " needs at least one client, got " + totalClients);
    }
    Map<String, Number> params = new LinkedHashMap<>(parameters());
    if (this instanceof ScaffoldConfig) {
      params.put("numClients", totalClients);
    }
    return ServerStrategies.create(strategyName(), params);
  }

  /** FedAvg: no parameters. */
  record FedAvgConfig() implements ServerStrategyConfig {
    @Override
    public String strategyName() {
      return FedAvg.NAME;
    }

    @Override
    public Map<String, Double> parameters() {
      return Map.of();
    }
  }

  /** FedAvg with server momentum {@code beta1}. */
  record FedAvgMConfig(double beta1) implements ServerStrategyConfig {
    public FedAvgMConfig {
      Checks.decay("beta1", beta1);
    }

    static FedAvgMConfig of(Double beta1) {
      return new FedAvgMConfig(or(beta1, DEFAULT_BETA1));
    }

    @Override
    public String strategyName() {
      return FedAvgM.NAME;
    }

    @Override
    public Map<String, Double> parameters() {
      return Map.of("beta1", beta1);
    }
  }

  /** FedAdagrad: server rate {@code eta}, adaptivity {@code tau}. */
  record FedAdagradConfig(double eta, double tau) implements ServerStrategyConfig {
    public FedAdagradConfig {
      Checks.positive("eta", eta);
      Checks.positive("tau", tau);
    }

    static FedAdagradConfig of(Double eta, Double tau) {
      return new FedAdagradConfig(or(eta, DEFAULT_ETA), or(tau, DEFAULT_TAU));
    }

    @Override
    public String strategyName() {
      return FedAdagrad.NAME;
    }

    @Override
    public Map<String, Double> parameters() {
      return Map.of("eta", eta, "tau", tau);
    }
  }

  /** FedAdam: server rate {@code eta}, adaptivity {@code tau}, moment decays {@code beta1}, {@code beta2}. */
  record FedAdamConfig(double eta, double tau, double beta1, double beta2) implements ServerStrategyConfig {
    public FedAdamConfig {
      Checks.adamFamily(eta, tau, beta1, beta2);
    }

    static FedAdamConfig of(Double eta, Double tau, Double beta1, Double beta2) {
      return new FedAdamConfig(or(eta, DEFAULT_ETA), or(tau, DEFAULT_TAU), or(beta1, DEFAULT_BETA1),
          or(beta2, DEFAULT_BETA2));
    }

    @Override
    public String strategyName() {
      return FedAdam.NAME;
    }

    @Override
    public Map<String, Double> parameters() {
      return Map.of("eta", eta, "tau", tau, "beta1", beta1, "beta2", beta2);
    }
  }

  /** FedYogi: the parameters of FedAdam. */
  record FedYogiConfig(double eta, double tau, double beta1, double beta2) implements ServerStrategyConfig {
    public FedYogiConfig {
      Checks.adamFamily(eta, tau, beta1, beta2);
    }

    static FedYogiConfig of(Double eta, Double tau, Double beta1, Double beta2) {
      return new FedYogiConfig(or(eta, DEFAULT_ETA), or(tau, DEFAULT_TAU), or(beta1, DEFAULT_BETA1),
          or(beta2, DEFAULT_BETA2));
    }

    @Override
    public String strategyName() {
      return FedYogi.NAME;
    }

    @Override
    public Map<String, Double> parameters() {
      return Map.of("eta", eta, "tau", tau, "beta1", beta1, "beta2", beta2);
    }
  }

  /** SCAFFOLD: global step size {@code eta}; its {@code N} is the client count given to {@link #create(int)}. */
  record ScaffoldConfig(double eta) implements ServerStrategyConfig {
    public ScaffoldConfig {
      Checks.positive("eta", eta);
    }

    static ScaffoldConfig of(Double eta) {
      return new ScaffoldConfig(or(eta, DEFAULT_SCAFFOLD_ETA));
    }

    @Override
    public String strategyName() {
      return Scaffold.NAME;
    }

    @Override
    public Map<String, Double> parameters() {
      return Map.of("eta", eta);
    }
  }

  /** The strategy called {@code name} (case-insensitive) with the paper's defaults. */
  static ServerStrategyConfig defaults(String name) {
    return of(name, null, null, null, null);
  }

  /**
   * The strategy called {@code name} (case-insensitive) with the given hyper-parameters; null ones take the paper's
   * defaults. A parameter the strategy does not have must be null.
   *
   * @throws IllegalArgumentException for an unknown name (listing the valid ones), a parameter the strategy does not
   *     have, or an out-of-range value; the message starts with the parameter's name where there is one
   */
  static ServerStrategyConfig of(String name, Double eta, Double tau, Double beta1, Double beta2) {
    String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    Map<String, Double> given = new LinkedHashMap<>();
    given.put("eta", eta);
    given.put("tau", tau);
    given.put("beta1", beta1);
    given.put("beta2", beta2);
    given.values().removeIf(v -> v == null);
    ServerStrategyConfig config = switch (key) {
      case FedAvg.NAME -> new FedAvgConfig();
      case FedAvgM.NAME -> FedAvgMConfig.of(beta1);
      case FedAdagrad.NAME -> FedAdagradConfig.of(eta, tau);
      case FedAdam.NAME -> FedAdamConfig.of(eta, tau, beta1, beta2);
      case FedYogi.NAME -> FedYogiConfig.of(eta, tau, beta1, beta2);
      case Scaffold.NAME -> ScaffoldConfig.of(eta);
      default -> throw new IllegalArgumentException(
          "unknown server strategy '" + name + "'; valid: " + String.join(", ", ServerStrategies.NAMES));
    };
    Set<String> unknown = new TreeSet<>(given.keySet());
    unknown.removeAll(config.parameters().keySet());
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(unknown.iterator().next() + ": not a parameter of " + config.strategyName()
          + " (its parameters: " + (config.parameters().isEmpty() ? "none" : new TreeSet<>(config.parameters()
          .keySet())) + ")");
    }
    return config;
  }

  /**
   * {@link #of} from a map of parameter names to values, as {@code federation.json} files written before the typed
   * configuration stored them ({@code "serverStrategy": "fedadam", "serverParameters": {...}}).
   */
  static ServerStrategyConfig of(String name, Map<String, ? extends Number> given) {
    List<String> unknown = new ArrayList<>(new TreeSet<>(given.keySet()));
    unknown.removeAll(List.of("eta", "tau", "beta1", "beta2"));
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(unknown.get(0) + ": not a server strategy parameter (known: eta, tau, "
          + "beta1, beta2)");
    }
    return of(name, value(given, "eta"), value(given, "tau"), value(given, "beta1"), value(given, "beta2"));
  }

  private static Double value(Map<String, ? extends Number> given, String key) {
    Number n = given.get(key);
    return n == null ? null : n.doubleValue();
  }

  private static double or(Double value, double defaultValue) {
    return value == null ? defaultValue : value;
  }

  /** The range rules the strategies' parameters share. */
  final class Checks {
    private Checks() {}

    static void positive(String key, double v) {
      if (!(v > 0) || !Double.isFinite(v)) {
        throw new IllegalArgumentException(key + " = " + v + ": must be finite and > 0");
      }
    }

    static void decay(String key, double v) {
      if (!(v >= 0 && v < 1)) {
        throw new IllegalArgumentException(key + " = " + v + ": must be in [0, 1)");
      }
    }

    static void adamFamily(double eta, double tau, double beta1, double beta2) {
      positive("eta", eta);
      positive("tau", tau);
      decay("beta1", beta1);
      decay("beta2", beta2);
    }
  }
}
