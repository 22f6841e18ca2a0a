package io.fedmllm.hf.nn;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * PyTorch's fused scaled-dot-product attention ({@code torch.nn.functional.scaled_dot_product_attention}, default
 * scale {@code head_dim^-0.5}) through two tiny TorchScript modules shipped in the jar, since DJL 0.36 has no such
 * NDArray operation; DJL runs TorchScript with autograd, so LoRA gradients flow through it. transformers' default
 * attention is the same call. On this project's CPU measurements the fused kernel's forward and backward took 0.3-0.4x
 * the time of the composed matmul-softmax-matmul at 512-1100 positions and 0.9x at 128 (docs/performance.md); on CUDA
 * it is the flash / memory-efficient kernel, which never materialises the [seq, seq] score matrix.
 *
 * <p>The modules ({@code tools/torchscript/export_attention.py}) are copied once per process into a temporary
 * directory (the pod's writable /tmp) and loaded once per device.
 */
final class FusedAttention {

  private static final String[] MODULES = {"attention_causal", "attention_full"};
  /** Per device, the loaded models: held here, since DJL closes a model's native module when the model is collected. */
  private static final Map<Device, Model[]> MODELS = new ConcurrentHashMap<>();
  private static volatile Path extracted;

  /**
   * Whether attention runs through the fused kernel: yes unless the JVM is started with
   * {@code -Dfedmllm.attention=eager} (the composed operations, for benchmarks that compare the two).
   */
  static final boolean ENABLED = !"eager".equals(System.getProperty("fedmllm.attention", "fused"));

  private FusedAttention() {}

  /** Causal attention of q, k, v [B, heads, S, headDim] (the same heads for k and v as for q). */
  static NDArray causal(NDArray q, NDArray k, NDArray v) {
    return run(0, q, k, v);
  }

  /** Unmasked attention of q, k, v [B, heads, S, headDim]. */
  static NDArray full(NDArray q, NDArray k, NDArray v) {
    return run(1, q, k, v);
  }

  private static NDArray run(int module, NDArray q, NDArray k, NDArray v) {
    Block block = MODELS.computeIfAbsent(q.getDevice(), FusedAttention::load)[module].getBlock();
    // training = true: the module runs with autograd (DJL runs an eval-mode module under a no-grad guard)
    return block.forward(new ParameterStore(q.getManager(), false), new NDList(q, k, v), true).singletonOrThrow();
  }

  private static Model[] load(Device device) {
    Path dir = extractedModules();
    Model[] models = new Model[MODULES.length];
    for (int i = 0; i < MODULES.length; i++) {
      Model model = Model.newInstance(MODULES[i], device, "PyTorch");
      try {
        model.load(dir, MODULES[i]);
      } catch (IOException | MalformedModelException e) {
        model.close();
        throw new IllegalStateException("cannot load the TorchScript module " + MODULES[i] + " from " + dir + ": "
            + e.getMessage(), e);
      }
      models[i] = model; // lives as long as the process
    }
    return models;
  }

  private static synchronized Path extractedModules() {
    if (extracted == null) {
      try {
        Path dir = Files.createTempDirectory("fedmllm-attention");
        for (String name : MODULES) {
          try (InputStream in = FusedAttention.class.getResourceAsStream(name + ".pt")) {
            if (in == null) {
              throw new IllegalStateException("the jar lacks io/fedmllm/hf/nn/" + name + ".pt");
            }
            Files.copy(in, dir.resolve(name + ".pt"), StandardCopyOption.REPLACE_EXISTING);
          }
          dir.resolve(name + ".pt").toFile().deleteOnExit();
        }
        dir.toFile().deleteOnExit();
        extracted = dir;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot copy the attention modules to a temporary directory", e);
      }
    }
    return extracted;
  }
}
