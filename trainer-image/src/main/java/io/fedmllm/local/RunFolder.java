package io.fedmllm.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fedmllm.protocol.FederationOutcome;
import io.fedmllm.api.progress.FederationProgress;
import io.fedmllm.api.progress.RoundManifest;
import io.fedmllm.tensor.AtomicFiles;
import io.fedmllm.tensor.TensorMap;
import io.fedmllm.tensor.lora.AdapterConfig;
import io.fedmllm.tensor.lora.AdapterFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * What a local run leaves behind for its user: {@code metrics.csv} (one row per round), {@code summary.json},
 * {@code metric.png} (the metric per round against the zero-shot line) and the final adapter in PEFT's layout under
 * {@code adapter/}; while it runs, {@code run.json} ({@link RunRecord}: running, interrupted, completed or failed),
 * {@code logs/} and, unless the manifest names external storage, the embedded store's {@code storage/}. Each file is
 * written atomically. A session holds {@code run.lock} while it runs, so a second session never uses the folder at
 * the same time.
 */
public final class RunFolder {
  static final String RECORD = "run.json";
  private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
      .enable(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;

  public RunFolder(Path dir) {
    this.dir = dir;
  }

  /** A new folder {@code <runsRoot>/<federation>-<yyyyMMdd-HHmmss>}, with {@code -2}, {@code -3}, ... within a second. */
  static RunFolder create(Path runsRoot, String federation) throws IOException {
    Files.createDirectories(runsRoot);
    String stem = federation + "-" + LocalDateTime.now().format(STARTED);
    for (int n = 1; ; n++) {
      try {
        return new RunFolder(Files.createDirectory(runsRoot.resolve(n == 1 ? stem : stem + "-" + n)));
      } catch (FileAlreadyExistsException taken) {
        // a run of the same federation started in the same second
      }
    }
  }

  public Path path() {
    return dir;
  }

  /** Atomically replaces {@code run.json}. */
  void record(RunRecord record) throws IOException {
    AtomicFiles.write(dir.resolve(RECORD), JSON.writeValueAsBytes(record));
  }

  /** {@code run.json}, or empty in a folder written before run records existed. */
  Optional<RunRecord> record() throws IOException {
    Path file = dir.resolve(RECORD);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), RunRecord.class));
    } catch (JsonProcessingException e) {
      throw new IOException(file + ": not a run record: " + e.getOriginalMessage(), e);
    }
  }

  /** Takes the folder for this session, or returns empty while another session (of any process) holds it. */
  Optional<Lock> tryLock() throws IOException {
    FileChannel channel = FileChannel.open(dir.resolve("run.lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    try {
      FileLock lock = channel.tryLock();
      if (lock != null) {
        return Optional.of(new Lock(channel));
      }
    } catch (OverlappingFileLockException heldInThisProcess) {
      // fall through: held by another session of this JVM
    }
    channel.close();
    return Optional.empty();
  }

  /** The session's hold on the folder; the operating system releases it when the process dies. */
  static final class Lock implements AutoCloseable {
    private final FileChannel channel;

    private Lock(FileChannel channel) {
      this.channel = channel;
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  public void write(String federation, FederationProgress status, FederationOutcome outcome, TensorMap finalAdapter,
      AdapterConfig adapterConfig, double seconds) throws IOException {
    AtomicFiles.write(dir.resolve("metrics.csv"), csv(status).getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(dir.resolve("summary.json"), summary(federation, status, outcome, seconds));
    chart(federation, status);
    if (finalAdapter != null) {
      AdapterFiles.write(dir.resolve("adapter"), adapterConfig, finalAdapter);
    }
  }

  static String csv(FederationProgress status) {
    StringBuilder b = new StringBuilder(
        "round,sampled,accepted,rejected,missing,mean_loss,metric_name,metric,accuracy,aggregation_seconds,"
            + "round_seconds\n");
    for (RoundManifest r : status.history()) {
      b.append(String.format(Locale.ROOT, "%d,%d,%d,%d,%d,%.6f,%s,%.6f,%.6f,%.3f,%.3f%n",
          r.round() + 1, r.sampled().size(), r.accepted().size(), r.rejected().size(), r.missing().size(),
          r.meanLoss(), r.evaluation() == null ? "" : r.evaluation().metricName(),
          r.evaluation() == null ? Double.NaN : r.evaluation().metric(),
          r.evaluation() == null ? Double.NaN : r.evaluation().accuracy(),
          r.aggregationSeconds(), r.roundSeconds()));
    }
    return b.toString();
  }

  private static byte[] summary(String federation, FederationProgress status, FederationOutcome outcome, double seconds)
      throws IOException {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("federation", federation);
    s.put("phase", outcome.phase().name());
    s.put("message", outcome.message());
    s.put("roundsCommitted", outcome.roundsCommitted());
    s.put("zeroShot", status.zeroShot());
    RoundManifest last = status.history().isEmpty() ? null : status.history().get(status.history().size() - 1);
    s.put("final", last == null ? null : last.evaluation());
    s.put("finalAdapter", outcome.finalAdapter());
    s.put("wallSeconds", Math.round(seconds * 10) / 10.0);
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(s);
  }

  private void chart(String federation, FederationProgress status) throws IOException {
    XYSeries metric = new XYSeries("global adapter");
    XYSeries zeroShot = new XYSeries("zero-shot");
    String name = "metric";
    for (RoundManifest r : status.history()) {
      if (r.evaluation() != null) {
        metric.add(r.round() + 1, r.evaluation().metric());
        name = r.evaluation().metricName();
      }
    }
    if (status.zeroShot() != null && !status.history().isEmpty()) {
      zeroShot.add(0, status.zeroShot().metric());
      zeroShot.add(status.history().size(), status.zeroShot().metric());
      metric.add(0, status.zeroShot().metric());
    }
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(metric);
    data.addSeries(zeroShot);
    JFreeChart chart = ChartFactory.createXYLineChart(
        federation + ": " + name + " per round", "round", name, data, PlotOrientation.VERTICAL, true, false, false);
    chart.getXYPlot().getDomainAxis().setStandardTickUnits(
        org.jfree.chart.axis.NumberAxis.createIntegerTickUnits());
    Path tmp = dir.resolve(".metric.png.tmp");
    ChartUtils.saveChartAsPNG(tmp.toFile(), chart, 800, 450);
    Files.move(tmp, dir.resolve("metric.png"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
