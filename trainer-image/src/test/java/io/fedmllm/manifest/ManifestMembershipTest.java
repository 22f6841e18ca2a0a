package io.fedmllm.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.api.manifest.ManifestReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The aggregator pod's members follow the mounted manifest as the operator re-renders it. */
class ManifestMembershipTest {

  @TempDir Path dir;

  private static String manifest(String... clients) {
    StringBuilder text = new StringBuilder("""
        apiVersion: fedmllm.io/v1alpha1
        kind: Federation
        metadata: {name: m}
        spec:
          task: hateful
          model: {preset: tiny}
          minClients: 2
          evalData: {format: synthetic, synthetic: {generator: "hateful,count=10"}}
        """);
    for (String c : clients) {
      text.append("""
          ---
          apiVersion: fedmllm.io/v1alpha1
          kind: FederationClient
          metadata: {name: NAME}
          spec:
            federationRef: {name: m}
            data: {format: synthetic, synthetic: {generator: "hateful,count=20"}}
          """.replace("NAME", c));
    }
    return text.toString();
  }

  @Test
  void membersFollowTheFileAndAnUnreadableEditKeepsTheLastOnesSayingWhyOnce() throws Exception {
    Path file = dir.resolve("federation.yaml");
    Files.writeString(file, manifest());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream log = new PrintStream(out, true, StandardCharsets.UTF_8);
    ManifestMembership members = new ManifestMembership(file,
        ManifestReader.ofRunningFederation().read(file), log);
    assertEquals(List.of(), members.members(), "a federation applied before its clients");
    Files.writeString(file, manifest("client-b", "client-a"));
    assertEquals(List.of("client-a", "client-b"), members.members());
    Files.writeString(file, manifest("client-b", "client-a").replace("kind: Federation\n", "kind: Federation\n  x"));
    assertEquals(List.of("client-a", "client-b"), members.members());
    assertEquals(List.of("client-a", "client-b"), members.members());
    String said = out.toString(StandardCharsets.UTF_8);
    assertTrue(said.startsWith("aggregator: membership: keeping the 2 member(s) last read: "), said);
    assertEquals(1, said.lines().count(), said);
    Files.writeString(file, manifest("client-b"));
    assertEquals(List.of("client-b"), members.members(), "a deleted client leaves");
  }

  @Test
  void aClientAddedWhileTheAggregatorStartedIsAMemberAtTheFirstRound() throws Exception {
    Path file = dir.resolve("federation.yaml");
    Files.writeString(file, manifest("client-a"));
    var initial = ManifestReader.ofRunningFederation().read(file);
    Files.writeString(file, manifest("client-a", "client-b")); // the operator re-renders during start-up
    ManifestMembership members = new ManifestMembership(file, initial, new PrintStream(new ByteArrayOutputStream()));
    assertEquals(List.of("client-a", "client-b"), members.members());
  }
}
