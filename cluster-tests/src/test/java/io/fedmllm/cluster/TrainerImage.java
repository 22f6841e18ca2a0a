package io.fedmllm.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The local stand-in of the trainer image (trainer-image/Dockerfile) for the {@link NodeAgent}: its ENTRYPOINT is
 * {@code java -jar fedmllm-trainer.jar}, and its build step {@code fedmllm pretrain --model tiny} bundles the
 * pre-trained tiny base, found through {@code FEDMLLM_BUNDLED_BASES}. Here that step runs once against the
 * developer's cache ({@code ~/.cache/fedmllm}; a few seconds when the suite's own tests already pre-trained it).
 */
final class TrainerImage {
  private static volatile NodeAgent.Image image;

  private TrainerImage() {}

  static synchronized NodeAgent.Image local() {
    if (image == null) {
      Path cache = Path.of(System.getProperty("user.home"), ".cache", "fedmllm");
      List<String> java = List.of(OperatorProcess.javaBinary(), "-Xmx1g", "-XX:+ExitOnOutOfMemoryError",
          "-Djava.awt.headless=true", "-Dai.djl.offline=true", "-jar", TestPaths.trainerJar().toString());
      bundleTinyBase(java, cache);
      image = new NodeAgent.Image(java, Map.of("FEDMLLM_BUNDLED_BASES", cache.resolve("base").toString()));
    }
    return image;
  }

  private static void bundleTinyBase(List<String> java, Path cache) {
    Path log = TestPaths.logs().resolve("trainer-image-pretrain.log");
    try {
      Files.createDirectories(log.getParent());
      List<String> cmd = new java.util.ArrayList<>(java);
      cmd.addAll(List.of("pretrain", "--model", "tiny"));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().putAll(Map.of("FEDMLLM_CACHE", cache.toString(), "DJL_OFFLINE", "true",
          "OPT_OUT_TRACKING", "true", "OMP_WAIT_POLICY", "PASSIVE"));
      Process p = pb.start();
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException("fedmllm pretrain --model tiny failed; see " + log);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
