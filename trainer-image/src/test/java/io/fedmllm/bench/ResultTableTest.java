package io.fedmllm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultTableTest {
  private static final List<BenchmarkResult> RESULTS =
      List.of(
          new BenchmarkResult("fedavg", "aligned:0.5", 1, 0.70, 0.6, 1),
          new BenchmarkResult("fedavg", "aligned:0.5", 2, 0.80, 0.7, 1),
          new BenchmarkResult("local-only", "aligned:0.5", 1, 0.55, 0.5, 1),
          new BenchmarkResult("local-only", "aligned:0.5", 2, 0.65, 0.5, 1));

  @Test
  void cellsAreMeanAndSampleStdOverSeeds() {
    ResultTable table = new ResultTable(RESULTS);
    ResultTable.Cell fedavg = table.cell("fedavg", "aligned:0.5");
    assertEquals(0.75, fedavg.mean(), 1e-12);
    assertEquals(Math.sqrt(0.005), fedavg.std(), 1e-12); // ((0.05^2)*2)/(2-1)
    assertEquals(2, fedavg.seeds());
    assertTrue(table.markdown().contains("| fedavg | 75.0 ± 7.1 |"), table.markdown());
  }

  @Test
  void writesCsvMarkdownAndChart(@TempDir Path dir) throws Exception {
    new ResultTable(RESULTS).write(dir, "t", "roc_auc");
    assertEquals(5, Files.readAllLines(dir.resolve("results.csv")).size());
    assertEquals(RESULTS, ResultTable.readCsv(dir.resolve("results.csv")), "a benchmark resumes from its CSV");
    byte[] png = Files.readAllBytes(dir.resolve("results.png"));
    assertEquals((byte) 0x89, png[0]);
    assertEquals('P', png[1]);
  }

  @Test
  void malformedCsvNamesTheLine(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("results.csv");
    Files.writeString(csv, "method,setting,seed,metric,accuracy,seconds\nfedavg,aligned:0.5,x,1,1,1\n");
    java.io.IOException e = assertThrows(java.io.IOException.class, () -> ResultTable.readCsv(csv));
    assertTrue(e.getMessage().contains("results.csv:2"), e.getMessage());
  }

  @Test
  void methodNamesParseAndUnknownOnesAreListed() {
    assertEquals(Method.Kind.FEDERATED, Method.parse("fedadam+paper").kind());
    assertEquals(Method.ClientPlugin.PAPER, Method.parse("FedAdam+paper").clientPlugin());
    assertEquals("fedavg", Method.parse("fedprox").serverStrategy());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Method.parse("fedsgd"));
    assertTrue(e.getMessage().contains("fedyogi"), e.getMessage());
    assertEquals(14, Method.all().size());
  }
}
