package io.fedmllm.operator.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.api.validation.SpecValidator;
import io.fedmllm.operator.naming.ResourceNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The rule on metadata.name of both kinds (CelRules.NAME_IS_DNS_1035_LABEL, Java twin SpecValidator.validateName)
 * is what makes every name the operator derives valid: the names it admits give valid children, and the names the
 * API server would otherwise admit (DNS-1123 subdomains) do not.
 */
class NameRuleTest {

  /** Service names. */
  private static final Pattern DNS_1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");
  /** Pod hostnames (a pod's name, unless cut by the kubelet) and anything that must be a label. */
  private static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?");

  static List<String> admittedNames() {
    // Short and long ones, and names whose cut (for the 63-character limit of child names) ends in '-'.
    List<String> names = new ArrayList<>(List.of("a", "z9", "demo", "hateful-cpu", "hateful-cpu-0", "a--b",
        "x".repeat(63), "a" + "-".repeat(61) + "b", "a".repeat(54) + "-0000000",
        "a".repeat(46) + "-" + "b".repeat(16)));
    Random random = new Random(7);
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-";
    while (names.size() < 2000) {
      StringBuilder name = new StringBuilder();
      int length = 1 + random.nextInt(63);
      for (int i = 0; i < length; i++) {
        name.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      if (SpecValidator.validateName(name.toString()).isEmpty()) {
        names.add(name.toString());
      }
    }
    return names;
  }

  @Test
  void everyAdmittedNameGivesValidChildNames() {
    for (String name : admittedNames()) {
      assertTrue(SpecValidator.validateName(name).isEmpty(), name);
      assertTrue(DNS_1035_LABEL.matcher(ResourceNames.metricsService(name)).matches(), name);
      for (String child : List.of(ResourceNames.aggregatorPod(name), ResourceNames.trainerPod(name),
          ResourceNames.configMap(name))) {
        assertTrue(DNS_1123_LABEL.matcher(child).matches(), name + " -> " + child);
      }
      assertTrue(LABEL_VALUE.matcher(ResourceNames.labelValue(name)).matches(), name);
    }
  }

  /** What the rule keeps out: names the API server accepts for a custom resource, with invalid children. */
  @Test
  void theNamesItRejectsWouldBreakChildren() {
    for (String name : List.of("demo.v2", "0-demo", "9")) {
      assertFalse(SpecValidator.validateName(name).isEmpty(), name);
      assertFalse(DNS_1035_LABEL.matcher(ResourceNames.metricsService(name)).matches(), name);
    }
  }
}
