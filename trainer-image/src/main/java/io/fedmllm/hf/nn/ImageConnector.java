package io.fedmllm.hf.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.fedmllm.hf.ConnectorConfig;
import io.fedmllm.hf.HfModelConfig;
import java.io.IOException;
import java.util.List;
import java.util.function.UnaryOperator;

/** Vision tower outputs to decoder-width image features [N, tokens per image, text hidden]. */
public interface ImageConnector {

  NDArray features(VisionTower tower, NDArray pixels);

  static ImageConnector load(CheckpointArrays arrays, HfModelConfig config) throws IOException {
    if (config.connector() instanceof ConnectorConfig.PixelShuffle s) {
      return new PixelShuffle(s.scaleFactor(), Linear.load(arrays, "connector.modality_projection.proj", false));
    }
    ConnectorConfig.LlavaProjector p = (ConnectorConfig.LlavaProjector) config.connector();
    return new LlavaProjector(p, Linear.load(arrays, "connector.linear_1", p.bias()),
        Activations.named(p.act()), Linear.load(arrays, "connector.linear_2", p.bias()));
  }

  /**
   * SmolVLM / Idefics3: {@code post_layernorm} output, pixel shuffle (each scale x scale block of patches becomes one
   * token, scale^2 times as wide, in transformers' order), then the bias-free projection.
   */
  record PixelShuffle(int scale, Linear proj) implements ImageConnector {
    @Override
    public NDArray features(VisionTower tower, NDArray pixels) {
      return proj.apply(shuffle(tower.lastHiddenState(pixels), scale));
    }

    static NDArray shuffle(NDArray x, int s) {
      long n = x.getShape().get(0);
      long seq = x.getShape().get(1);
      long d = x.getShape().get(2);
      long side = Math.round(Math.sqrt(seq));
      return x.reshape(n, side, side / s, d * s)
          .transpose(0, 2, 1, 3)
          .reshape(n, side / s, side / s, d * s * s)
          .transpose(0, 2, 1, 3)
          .reshape(n, seq / ((long) s * s), d * s * s);
    }
  }

  /**
   * LLaVA: the hidden states of the feature layers (before {@code post_layernorm}; several concatenated), the class
   * token dropped for strategy {@code default}, then {@code linear_2(act(linear_1(x)))}.
   */
  record LlavaProjector(ConnectorConfig.LlavaProjector config, Linear first, UnaryOperator<NDArray> act,
      Linear second) implements ImageConnector {
    @Override
    public NDArray features(VisionTower tower, NDArray pixels) {
      List<NDArray> states = tower.hiddenStates(pixels);
      NDList selected = new NDList();
      for (int layer : config.featureLayers()) {
        NDArray state = states.get(layer < 0 ? states.size() + layer : layer);
        selected.add(config.dropsClassToken() ? state.get(":, 1:, :") : state);
      }
      NDArray x = selected.size() == 1 ? selected.head() : ai.djl.ndarray.NDArrays.concat(selected, -1);
      return second.apply(act.apply(first.apply(x)));
    }
  }
}
