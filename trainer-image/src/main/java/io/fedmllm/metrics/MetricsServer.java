package io.fedmllm.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;

/** Serves a process's metrics at {@code http://HOST:PORT/metrics} until closed. */
public final class MetricsServer implements AutoCloseable {

  private final HTTPServer server;

  private MetricsServer(HTTPServer server) {
    this.server = server;
  }

  /** Starts serving on {@code port} (0 for a free one) on all interfaces. */
  public static MetricsServer start(FederationMetrics metrics, int port) throws IOException {
    try {
      return new MetricsServer(HTTPServer.builder().port(port).registry(metrics.registry()).buildAndStart());
    } catch (IOException e) {
      throw new IOException("cannot serve metrics on port " + port + ": " + e.getMessage(), e);
    }
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.close();
  }
}
