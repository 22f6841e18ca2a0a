package io.fedmllm.manifest;

import io.fedmllm.api.manifest.Manifest;
import io.fedmllm.api.manifest.ManifestException;
import io.fedmllm.api.manifest.ManifestReader;
import io.fedmllm.protocol.Membership;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The members of a federation as the manifest file lists them, re-read whenever it is asked: the aggregator pod's
 * view of the FederationClients, since the operator re-renders the mounted ConfigMap when one is created or deleted
 * and the kubelet replaces the mounted file atomically. The file is parsed only when its bytes changed. A file that
 * cannot be read or parsed (a half-propagated edit) keeps the members last read, and says why once.
 */
public final class ManifestMembership implements Membership {

  private final Path file;
  private final PrintStream log;
  private final ManifestReader reader = ManifestReader.ofRunningFederation();
  private byte[] lastBytes;
  private List<String> members;
  private String lastProblem;

  /**
   * @param initial the manifest as first read: its clients are the members until the file is read again, which the
   *     first {@link #members} call does (the file may have changed while the process started, e.g. a client created
   *     meanwhile; taking the bytes here instead would pair them with the older members and never see that client)
   */
  public ManifestMembership(Path file, Manifest initial, PrintStream log) {
    this.file = file;
    this.log = log;
    this.members = sorted(initial.clientNames());
    this.lastBytes = null;
  }

  @Override
  public synchronized List<String> members() {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      problem(file + ": cannot read: " + e.getMessage());
      return members;
    }
    if (Arrays.equals(bytes, lastBytes)) {
      return members;
    }
    try {
      Manifest manifest = reader.read(new String(bytes, java.nio.charset.StandardCharsets.UTF_8), file.toString());
      lastBytes = bytes;
      lastProblem = null;
      members = sorted(manifest.clientNames());
    } catch (ManifestException e) {
      problem(e.getMessage());
    }
    return members;
  }

  private void problem(String message) {
    if (!message.equals(lastProblem)) {
      lastProblem = message;
      log.println("aggregator: membership: keeping the " + members.size() + " member(s) last read: " + message);
    }
  }

  private static List<String> sorted(List<String> names) {
    return names.stream().sorted().distinct().toList();
  }
}
