package io.fedmllm.bench;

import io.fedmllm.strategy.ServerStrategies;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One row of the benchmark table: the zero-shot base, local-only training, or a federated method (a server optimiser,
 * optionally with FedProx or with the paper's two modality-agnostic strategies).
 *
 * <p>Names: {@code zero-shot}, {@code local-only}, a server strategy name ({@code fedavg}, {@code fedadam}, ...),
 * {@code fedprox} (FedAvg with the proximal term), and {@code <server>+paper} (server optimiser with the middle-layer
 * regulariser and the modality-agnostic prompt).
 */
public record Method(String name, Kind kind, String serverStrategy, ClientPlugin clientPlugin) {

  /** What the method trains. */
  public enum Kind {
    ZERO_SHOT,
    LOCAL_ONLY,
    FEDERATED
  }

  /** The client-side plug-in of a federated method. */
  public enum ClientPlugin {
    NONE,
    FEDPROX,
    PAPER
  }

  public static Method parse(String text) {
    String name = text.trim().toLowerCase(Locale.ROOT);
    switch (name) {
      case "zero-shot":
        return new Method(name, Kind.ZERO_SHOT, null, ClientPlugin.NONE);
      case "local-only":
        return new Method(name, Kind.LOCAL_ONLY, null, ClientPlugin.NONE);
      case "fedprox":
        return new Method(name, Kind.FEDERATED, "fedavg", ClientPlugin.FEDPROX);
      default:
        break;
    }
    boolean paper = name.endsWith("+paper");
    String server = paper ? name.substring(0, name.length() - "+paper".length()) : name;
    if (!ServerStrategies.NAMES.contains(server)) {
      throw new IllegalArgumentException(
          "unknown method '" + text + "'; valid: zero-shot, local-only, fedprox, "
              + String.join(", ", ServerStrategies.NAMES) + " and <server>+paper");
    }
    return new Method(name, Kind.FEDERATED, server, paper ? ClientPlugin.PAPER : ClientPlugin.NONE);
  }

  /** Every method of the paper's benchmark table. */
  public static List<Method> all() {
    List<Method> methods = new ArrayList<>();
    methods.add(parse("zero-shot"));
    methods.add(parse("local-only"));
    for (String server : ServerStrategies.NAMES) {
      methods.add(parse(server));
    }
    methods.add(parse("fedprox"));
    for (String server : List.of("fedavg", "fedavgm", "fedadam", "fedyogi", "fedadagrad")) {
      methods.add(parse(server + "+paper"));
    }
    return methods;
  }
}
