package io.fedmllm.cluster;

import java.nio.file.Path;

/** Locations the build passes in (see cluster-tests/pom.xml). */
final class TestPaths {
  private TestPaths() {}

  static Path repo() {
    return property("fedmllm.repo").toAbsolutePath().normalize();
  }

  static Path logs() {
    return property("fedmllm.clusterLogs");
  }

  /** The packaged operator: quarkus-app/quarkus-run.jar. */
  static Path operatorApp() {
    return property("fedmllm.operatorApp");
  }

  /** The trainer image's entry point jar (what the image's ENTRYPOINT runs). */
  static Path trainerJar() {
    return property("fedmllm.trainerJar");
  }

  private static Path property(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("system property " + name + " is not set; run through Maven (cluster-tests/pom.xml)");
    }
    return Path.of(value);
  }
}
