package io.fedmllm.hf;

import io.fedmllm.tensor.Tensor;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A verified Hugging Face multimodal checkpoint directory: its config, and weight files holding every tensor the
 * config implies with the implied shape. Opening fails on the first missing or mis-shaped tensor, naming it and its
 * file; tensors the model does not use (SigLIP's pooling head, a tied model's {@code lm_head}, buffers) are reported
 * once, in one line, to the given consumer.
 */
public final class HfCheckpoint implements Closeable {

  private final Path dir;
  private final HfModelConfig config;
  private final CheckpointWeights weights;
  private final List<String> unused;

  private HfCheckpoint(Path dir, HfModelConfig config, CheckpointWeights weights, List<String> unused) {
    this.dir = dir;
    this.config = config;
    this.weights = weights;
    this.unused = List.copyOf(unused);
  }

  /** Opens and verifies {@code dir}; {@code report} receives one line if some stored tensors go unused. */
  public static HfCheckpoint open(Path dir, Consumer<String> report) throws IOException {
    HfModelConfig config = HfModelConfig.read(dir);
    CheckpointWeights weights = CheckpointWeights.open(dir, config.family());
    try {
      Map<String, long[]> expected = ExpectedTensors.of(config);
      for (Map.Entry<String, long[]> e : expected.entrySet()) {
        CheckpointWeights.Location at = weights.locate(e.getKey()).orElseThrow(() -> missing(dir, e.getKey(),
            config));
        if (!Arrays.equals(at.entry().shape(), e.getValue())) {
          throw new CheckpointException(at.file() + ": tensor '" + at.entry().name() + "' has shape "
              + Arrays.toString(at.entry().shape()) + ", " + HfModelConfig.FILE + " implies "
              + Arrays.toString(e.getValue()));
        }
        if (!at.entry().dtype().widensToFloat()) {
          throw new CheckpointException(at.file() + ": tensor '" + at.entry().name() + "' is "
              + at.entry().dtype() + ", expected a float type (F32, F16, BF16)");
        }
      }
      List<String> unused = new ArrayList<>(weights.unrecognised());
      for (String name : weights.names()) {
        if (!expected.containsKey(name)) {
          unused.add(weights.locate(name).orElseThrow().entry().name());
        }
      }
      unused.sort(null);
      if (!unused.isEmpty()) {
        report.accept(dir + ": " + unused.size() + " stored tensor(s) not used by the model: "
            + String.join(", ", unused));
      }
      return new HfCheckpoint(dir, config, weights, unused);
    } catch (IOException | RuntimeException e) {
      weights.close();
      throw e;
    }
  }

  private static CheckpointException missing(Path dir, String canonical, HfModelConfig config) {
    String files;
    try {
      files = CheckpointWeights.weightFiles(dir).stream().map(p -> p.getFileName().toString()).toList().toString();
    } catch (CheckpointException e) {
      files = "the weight files";
    }
    return new CheckpointException(dir + ": tensor " + canonical + " (canonical name) missing from " + files
        + ", which " + HfModelConfig.FILE + " (" + config.family() + ", " + config.text().layers()
        + " decoder layers) requires");
  }

  public Path dir() {
    return dir;
  }

  public HfModelConfig config() {
    return config;
  }

  /** Stored names of the tensors the model does not use. */
  public List<String> unused() {
    return unused;
  }

  /** A tensor by canonical name ({@link TensorNaming}), widened to float32. */
  public Tensor tensor(String canonical) throws IOException {
    return weights.read(canonical);
  }

  /** The token embedding matrix, which is also the output head when the embeddings are tied. */
  public Tensor outputHead() throws IOException {
    return tensor(config.text().tiedEmbeddings() ? "text.embed_tokens.weight" : "text.lm_head.weight");
  }

  @Override
  public void close() throws IOException {
    weights.close();
  }
}
