package io.fedmllm.model;

import io.fedmllm.data.Sample;
import io.fedmllm.data.Task;
import io.fedmllm.data.synthetic.SyntheticGenerator;
import java.util.List;

/** Small shared fixtures for model tests: a randomly initialised tiny base and a few generated samples. */
public final class ModelFixtures {
  private ModelFixtures() {}

  public static BaseModel tinyBase(long seed) {
    return BaseModel.initialise(ModelConfig.preset("tiny"), TextTokenizer.builtIn(), seed);
  }

  /** Mixed samples: with image and text, image only and text only. */
  public static List<Sample> mixedSamples(int count) {
    List<Sample> pool = new SyntheticGenerator(5).pool(Task.HATEFUL, count);
    return java.util.stream.IntStream.range(0, pool.size())
        .mapToObj(i -> switch (i % 3) {
          case 1 -> pool.get(i).withoutText();
          case 2 -> pool.get(i).withoutImage();
          default -> pool.get(i);
        })
        .toList();
  }
}
