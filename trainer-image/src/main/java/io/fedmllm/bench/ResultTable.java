package io.fedmllm.bench;

import io.fedmllm.tensor.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The benchmark's table: rows are methods, columns settings, cells the mean task metric (x100) with the spread over
 * seeds. Renders as text for the terminal, markdown for docs, CSV of every raw result, and a PNG chart.
 */
public final class ResultTable {
  /** Mean and sample standard deviation of one cell. */
  public record Cell(double mean, double std, int seeds) {}

  private final List<BenchmarkResult> results;
  private final List<String> methods;
  private final List<String> settings;
  private final Map<String, Map<String, Cell>> cells = new LinkedHashMap<>();

  public ResultTable(List<BenchmarkResult> results) {
    this.results = List.copyOf(results);
    Set<String> m = new LinkedHashSet<>();
    Set<String> s = new LinkedHashSet<>();
    for (BenchmarkResult r : results) {
      m.add(r.method());
      s.add(r.setting());
    }
    methods = List.copyOf(m);
    settings = List.copyOf(s);
    for (String method : methods) {
      Map<String, Cell> row = new LinkedHashMap<>();
      for (String setting : settings) {
        List<Double> values = new ArrayList<>();
        for (BenchmarkResult r : results) {
          if (r.method().equals(method) && r.setting().equals(setting)) {
            values.add(r.metric());
          }
        }
        row.put(setting, summarise(values));
      }
      cells.put(method, row);
    }
  }

  private static Cell summarise(List<Double> values) {
    if (values.isEmpty()) {
      return new Cell(Double.NaN, Double.NaN, 0);
    }
    double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    double var = 0;
    for (double v : values) {
      var += (v - mean) * (v - mean);
    }
    double std = values.size() > 1 ? Math.sqrt(var / (values.size() - 1)) : 0;
    return new Cell(mean, std, values.size());
  }

  public Cell cell(String method, String setting) {
    return cells.get(method).get(setting);
  }

  public List<String> methods() {
    return methods;
  }

  public List<String> settings() {
    return settings;
  }

  private static String format(Cell c) {
    if (c.seeds() == 0) {
      return "-";
    }
    return c.seeds() > 1
        ? String.format(Locale.ROOT, "%.1f ± %.1f", 100 * c.mean(), 100 * c.std())
        : String.format(Locale.ROOT, "%.1f", 100 * c.mean());
  }

  public String text() {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-18s", "method"));
    for (String s : settings) {
      b.append(String.format(Locale.ROOT, " %14s", s));
    }
    b.append('\n');
    for (String m : methods) {
      b.append(String.format(Locale.ROOT, "%-18s", m));
      for (String s : settings) {
        b.append(String.format(Locale.ROOT, " %14s", format(cell(m, s))));
      }
      b.append('\n');
    }
    return b.toString();
  }

  public String markdown() {
    StringBuilder b = new StringBuilder("| method |");
    settings.forEach(s -> b.append(' ').append(s).append(" |"));
    b.append("\n|---|");
    settings.forEach(s -> b.append("---|"));
    b.append('\n');
    for (String m : methods) {
      b.append("| ").append(m).append(" |");
      for (String s : settings) {
        b.append(' ').append(format(cell(m, s))).append(" |");
      }
      b.append('\n');
    }
    return b.toString();
  }

  public String csv() {
    StringBuilder b = new StringBuilder("method,setting,seed,metric,accuracy,seconds\n");
    for (BenchmarkResult r : results) {
      b.append(String.format(Locale.ROOT, "%s,%s,%d,%.6f,%.6f,%.2f%n",
          r.method(), r.setting(), r.seed(), r.metric(), r.accuracy(), r.seconds()));
    }
    return b.toString();
  }

  /** Reads a results.csv written by {@link #csv()} (to resume a benchmark). */
  public static List<BenchmarkResult> readCsv(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty() || !lines.get(0).equals("method,setting,seed,metric,accuracy,seconds")) {
      throw new IOException(file + ":1: not a benchmark results file (unexpected header)");
    }
    List<BenchmarkResult> out = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).split(",", -1);
      if (f.length != 6) {
        throw new IOException(file + ":" + (i + 1) + ": expected 6 columns, got " + f.length);
      }
      try {
        out.add(new BenchmarkResult(f[0], f[1], Long.parseLong(f[2]), Double.parseDouble(f[3]),
            Double.parseDouble(f[4]), Double.parseDouble(f[5])));
      } catch (NumberFormatException e) {
        throw new IOException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  /** Writes results.csv, results.md and results.png into {@code dir}. */
  public void write(Path dir, String title, String metricName) throws IOException {
    Files.createDirectories(dir);
    AtomicFiles.write(dir.resolve("results.csv"), csv().getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(dir.resolve("results.md"), markdown().getBytes(StandardCharsets.UTF_8));
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (String m : methods) {
      for (String s : settings) {
        data.addValue(100 * cell(m, s).mean(), m, s);
      }
    }
    JFreeChart chart =
        ChartFactory.createBarChart(title, "setting", metricName + " x100", data, PlotOrientation.VERTICAL, true, false, false);
    ChartUtils.saveChartAsPNG(dir.resolve("results.png").toFile(), chart, Math.max(800, 120 * settings.size()), 500);
  }
}
