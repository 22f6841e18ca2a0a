package io.fedmllm.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The API server's audit log ({@link ControlPlane#apiServerWithAuditLog}) read as requests: one per completed
 * request, with who sent it (user agent), its verb, resource, subresource and when it was received.
 */
final class AuditLog {

  /** One completed API request. {@code subresource} is "" when there is none. */
  record Request(Instant received, String userAgent, String verb, String resource, String subresource, int code) {

    /** "verb resource[/subresource]", e.g. "patch federationclients/status". */
    String key() {
      return verb + " " + resource + (subresource.isEmpty() ? "" : "/" + subresource);
    }

    boolean statusWrite() {
      return "status".equals(subresource) && ("patch".equals(verb) || "update".equals(verb));
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private AuditLog() {}

  /** Every request in the log (a line cut short by a concurrent write is the last one and skipped). */
  static List<Request> read(Path log) {
    List<Request> requests = new ArrayList<>();
    List<String> lines;
    try {
      lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the audit log " + log, e);
    }
    for (int i = 0; i < lines.size(); i++) {
      JsonNode event;
      try {
        event = JSON.readTree(lines.get(i));
      } catch (IOException e) {
        if (i == lines.size() - 1) {
          break;
        }
        throw new IllegalStateException(log + " line " + (i + 1) + " is not an audit event: " + e.getMessage(), e);
      }
      if (!"ResponseComplete".equals(event.path("stage").asText())) {
        continue;
      }
      JsonNode ref = event.path("objectRef");
      requests.add(new Request(Instant.parse(event.path("requestReceivedTimestamp").asText()),
          event.path("userAgent").asText(""), event.path("verb").asText(""),
          ref.path("resource").asText(event.path("requestURI").asText("")), ref.path("subresource").asText(""),
          event.path("responseStatus").path("code").asInt(0)));
    }
    return requests;
  }

  /** Requests matching {@code which}, received in [from, to). */
  static List<Request> between(List<Request> all, Instant from, Instant to, Predicate<Request> which) {
    return all.stream().filter(r -> !r.received().isBefore(from) && r.received().isBefore(to)).filter(which)
        .toList();
  }

  /** Count per {@link Request#key()}, sorted. */
  static Map<String, Integer> byKey(List<Request> requests) {
    Map<String, Integer> counts = new TreeMap<>();
    requests.forEach(r -> counts.merge(r.key(), 1, Integer::sum));
    return counts;
  }
}
