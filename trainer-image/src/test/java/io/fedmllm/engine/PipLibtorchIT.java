package io.fedmllm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import io.fedmllm.tensor.lora.AdapterFiles;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #14's CPU check of the GPU image's loading path: DJL pointed at the libtorch of PyPI's torch 2.7.1 wheel
 * ({@code PYTORCH_LIBRARY_PATH}, {@code PYTORCH_VERSION}, {@code PYTORCH_FLAVOR=cpu}: how the GPU image runs, with
 * {@code cu128} there) trains the same adapter as the natives bundled in the {@code pytorch-native-cpu} jar. Both
 * runs are child JVMs of the real command line ({@code checkpoint train-adapter}, the federation's local trainer on
 * the committed SmolVLM golden checkpoint, all seven decoder projections), and each must say which libtorch it
 * mapped. The wheel comes from the reference venv ({@code tools/hf_reference/setup_venv.sh}: idempotent, about two
 * minutes on first use).
 */
class PipLibtorchIT {

  private static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
  private static final Path CHECKPOINT =
      Path.of("src/test/resources/hf-goldens/smolvlm/checkpoint").toAbsolutePath();
  /** Two builds of the same torch release on one machine; measured here: bit-identical (0). */
  private static final double TOLERANCE = 1e-5;

  private static Path wheelLib;

  @BeforeAll
  static void referenceVenv() throws Exception {
    Path venv = Path.of(System.getenv().getOrDefault("FEDMLLM_HF_VENV",
        Path.of(System.getProperty("user.home"), ".cache", "fedmllm", "venv-hf").toString()));
    Run setup = run(List.of("bash", ROOT.resolve("tools/hf_reference/setup_venv.sh").toString()), Map.of(), 20);
    assertEquals(0, setup.exit, "setup_venv.sh failed:\n" + setup.output);
    Run where = run(List.of(venv.resolve("bin/python").toString(), "-c",
        "import os, torch; print(torch.__version__); print(os.path.join(os.path.dirname(torch.__file__), 'lib'))"),
        Map.of(), 2);
    assertEquals(0, where.exit, where.output);
    String[] lines = where.output.strip().split("\n");
    assertTrue(lines[lines.length - 2].startsWith("2.7.1"), "the venv's torch is not 2.7.1: " + where.output);
    wheelLib = Path.of(lines[lines.length - 1]);
    assertTrue(Files.isRegularFile(wheelLib.resolve("libtorch.so")), "no libtorch.so in " + wheelLib);
  }

  @Test
  void theWheelsLibtorchTrainsTheAdapterTheBundledNativesTrain(@TempDir Path work) throws Exception {
    Run bundled = trainAdapter(work.resolve("bundled"), Map.of());
    Run wheel = trainAdapter(work.resolve("wheel"), Map.of("PYTORCH_LIBRARY_PATH", wheelLib.toString(),
        "PYTORCH_VERSION", "2.7.1", "PYTORCH_FLAVOR", "cpu"));
    assertEquals(0, bundled.exit, bundled.output);
    assertEquals(0, wheel.exit, wheel.output);
    assertTrue(bundled.output.contains("engine: PyTorch 2.7.1, bundled CPU libtorch"), bundled.output);
    assertTrue(wheel.output.contains("engine: PyTorch 2.7.1, libtorch from PYTORCH_LIBRARY_PATH "
        + wheelLib.toRealPath() + " (flavor cpu)"), wheel.output);

    TensorMap a = AdapterFiles.read(work.resolve("bundled")).tensors();
    TensorMap b = AdapterFiles.read(work.resolve("wheel")).tensors();
    a.requireSameLayout(b, "the wheel run's adapter");
    double diff2 = 0;
    double norm2 = 0;
    double maxAbs = 0;
    double loraB2 = 0;
    for (Entry<String, Tensor> e : a) {
      float[] x = e.getValue().data();
      float[] y = b.get(e.getKey()).data();
      for (int i = 0; i < x.length; i++) {
        double d = (double) x[i] - y[i];
        diff2 += d * d;
        norm2 += (double) x[i] * x[i];
        maxAbs = Math.max(maxAbs, Math.abs(d));
        if (e.getKey().contains("lora_B")) {
          loraB2 += (double) x[i] * x[i];
        }
      }
    }
    double relative = Math.sqrt(diff2 / norm2);
    System.out.printf("pip wheel vs bundled libtorch: %d tensors, relative Frobenius difference %.3e, max abs "
        + "%.3e, bit-identical %s%n", a.size(), relative, maxAbs, diff2 == 0);
    assertNotEquals(0.0, loraB2, "training left every lora_B at zero: the comparison would say nothing");
    assertTrue(relative <= TOLERANCE, "adapters differ by " + relative + " (relative Frobenius)");
  }

  @Test
  void aLibraryPathWithoutLibtorchIsRefusedInsteadOfFallingBack(@TempDir Path work) throws Exception {
    Path empty = Files.createDirectories(work.resolve("no-torch"));
    Run run = trainAdapter(work.resolve("adapter"), Map.of("PYTORCH_LIBRARY_PATH", empty.toString(),
        "PYTORCH_VERSION", "2.7.1", "PYTORCH_FLAVOR", "cpu"));
    assertNotEquals(0, run.exit, run.output);
    assertTrue(run.output.contains("PYTORCH_LIBRARY_PATH=" + empty + " holds no libtorch.so"), run.output);
    assertTrue(Files.notExists(work.resolve("adapter").resolve(AdapterFiles.MODEL_FILE)), "an adapter was written");
  }

  private static Run trainAdapter(Path out, Map<String, String> env) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx1g", "-Dai.djl.offline=true",
        "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), "io.fedmllm.cli.Fedmllm",
        "checkpoint", "train-adapter", "--model", CHECKPOINT.toString(), "--out", out.toString(), "--r", "4",
        "--alpha", "8", "--targets", "q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj", "--steps", "10",
        "--lr", "0.005", "--seed", "7", "--device", "cpu"));
    return run(command, env, 5);
  }

  private record Run(int exit, String output) {}

  private static Run run(List<String> command, Map<String, String> env, int minutes) throws Exception {
    File log = File.createTempFile("pip-libtorch", ".log");
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
      pb.environment().putAll(Map.of("DJL_OFFLINE", "true", "OPT_OUT_TRACKING", "true", "OMP_WAIT_POLICY",
          "PASSIVE"));
      pb.environment().remove("PYTORCH_LIBRARY_PATH");
      pb.environment().remove("PYTORCH_FLAVOR");
      pb.environment().remove("PYTORCH_VERSION");
      pb.environment().putAll(env);
      Process process = pb.start();
      if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(command.get(0) + " ... did not finish within " + minutes + " minutes:\n"
            + Files.readString(log.toPath(), StandardCharsets.UTF_8));
      }
      return new Run(process.exitValue(), Files.readString(log.toPath(), StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log.toPath());
    }
  }
}
