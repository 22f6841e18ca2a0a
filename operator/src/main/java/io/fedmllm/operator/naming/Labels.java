package io.fedmllm.operator.naming;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels every child object carries: {@code app.kubernetes.io/*} plus the federation and client it belongs to.
 * The operator's informers watch only objects with {@link #MANAGED_SELECTOR}.
 */
public final class Labels {

  public static final String NAME = "app.kubernetes.io/name";
  public static final String INSTANCE = "app.kubernetes.io/instance";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String PART_OF = "app.kubernetes.io/part-of";
  public static final String FEDERATION = "fedmllm.io/federation";
  public static final String CLIENT = "fedmllm.io/client";

  public static final String APP = "fedmllm";
  public static final String OPERATOR = "fedmllm-operator";

  /** Label selector of every informer on child objects. */
  public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + OPERATOR;

  /** What a child object is. */
  public enum Component {
    AGGREGATOR("aggregator"),
    TRAINER("trainer"),
    CONFIG("config"),
    METRICS("metrics");

    private final String value;

    Component(String value) {
      this.value = value;
    }

    public String value() {
      return value;
    }
  }

  private Labels() {}

  /** Labels of a federation-level child (aggregator pod, its Service, the ConfigMap). */
  public static Map<String, String> forFederation(String federation, Component component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(NAME, APP);
    labels.put(INSTANCE, ResourceNames.labelValue(federation));
    labels.put(COMPONENT, component.value());
    labels.put(MANAGED_BY, OPERATOR);
    labels.put(PART_OF, APP);
    labels.put(FEDERATION, ResourceNames.labelValue(federation));
    return labels;
  }

  /** Labels of a client's trainer pod. */
  public static Map<String, String> forClient(String federation, String client) {
    Map<String, String> labels = forFederation(federation, Component.TRAINER);
    labels.put(CLIENT, ResourceNames.labelValue(client));
    return labels;
  }

  /** The labels that select a federation's aggregator pod (the metrics Service's selector). */
  public static Map<String, String> aggregatorSelector(String federation) {
    Map<String, String> selector = new LinkedHashMap<>();
    selector.put(INSTANCE, ResourceNames.labelValue(federation));
    selector.put(COMPONENT, Component.AGGREGATOR.value());
    selector.put(MANAGED_BY, OPERATOR);
    return selector;
  }
}
