package io.fedmllm.operator.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CRDs committed under crds/ and charts/fedmllm-operator/crds/ must be byte-identical to what the build generates
 * from the Java classes (QOSDK writes them to {@code <build dir>/kubernetes} while building the application, which
 * Maven does before the tests: see the quarkus-maven-plugin execution). Refresh with
 * {@code mvn -pl operator -am verify -Dfedmllm.crds.update=true}.
 */
class CrdDriftTest {

  private static final List<String> FILES = List.of("federations.fedmllm.io-v1.yml",
      "federationclients.fedmllm.io-v1.yml");

  @Test
  void committedCrdsEqualTheGeneratedOnes() throws IOException {
    Path generated = Path.of(System.getProperty("fedmllm.generatedCrds", "target/kubernetes"));
    Path root = Path.of(System.getProperty("fedmllm.repoRoot", ".."));
    boolean update = Boolean.getBoolean("fedmllm.crds.update");
    for (String file : FILES) {
      Path source = generated.resolve(file);
      assertTrue(Files.exists(source), "not generated: " + source);
      String expected = Files.readString(source);
      for (Path copy : List.of(root.resolve("crds").resolve(file),
          root.resolve("charts/fedmllm-operator/crds").resolve(file))) {
        if (update) {
          Files.createDirectories(copy.getParent());
          Files.writeString(copy, expected);
        }
        assertTrue(Files.exists(copy), copy + " missing; run with -Dfedmllm.crds.update=true");
        assertEquals(expected, Files.readString(copy),
            copy + " differs from the generated CRD; run with -Dfedmllm.crds.update=true and commit");
      }
    }
  }
}
