package io.fedmllm.data.synthetic;

import io.fedmllm.data.ImageSource;
import io.fedmllm.data.Prompts;
import io.fedmllm.data.RenderedImage;
import io.fedmllm.data.Sample;
import io.fedmllm.data.Task;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * One synthetic task domain: how its scenes and texts are drawn, how the label follows from both, and which
 * public (pre-training) samples teach its visual and language concepts without its labels.
 */
abstract class Domain {

  /** Probability that a public image sample also carries a (distracting) text, and vice versa. */
  private static final double PUBLIC_DISTRACTOR_PROBABILITY = 0.25;

  private final int imageSize;

  Domain(int imageSize) {
    this.imageSize = imageSize;
  }

  abstract Task task();

  /** A downstream, labelled sample with both modalities. */
  abstract SyntheticExample labelled(String id, Random rng);

  /** A random scene of this domain with its caption ("a red striped circle on the left") and a question on it. */
  abstract Described<Scene> describedScene(Random rng);

  /** A random text of this domain with a closed question about it. */
  abstract Described<String> textWithQuestion(Random rng);

  /** A value with what a pre-training sample may ask about it. */
  record Described<T>(T value, String caption, Question question) {}

  /** A closed question, its options and the right option. */
  record Question(String question, List<String> options, String answer) {}

  /**
   * A public sample: a caption, a question about the picture, a copy of the text or a question about the text.
   * None is a downstream label, so pre-training teaches perception and language only.
   */
  final Sample publicSample(String id, Random rng) {
    switch (rng.nextInt(4)) {
      case 0, 1 -> {
        Described<Scene> scene = describedScene(rng);
        Optional<String> text = distractor(rng) ? Optional.of(textWithQuestion(rng).value()) : Optional.empty();
        Optional<ImageSource> image = Optional.of(image(id, scene.value()));
        return rng.nextBoolean()
            ? open(id, image, text, "Describe the image.", scene.caption())
            : closed(id, image, text, scene.question(), rng);
      }
      default -> {
        Described<String> text = textWithQuestion(rng);
        Optional<ImageSource> image =
            distractor(rng) ? Optional.of(image(id, describedScene(rng).value())) : Optional.empty();
        return rng.nextBoolean()
            ? open(id, image, Optional.of(text.value()), "Repeat the text.", text.value())
            : closed(id, image, Optional.of(text.value()), text.question(), rng);
      }
    }
  }

  final ImageSource image(String id, Scene scene) {
    int size = imageSize;
    return RenderedImage.lazy(id, () -> SceneRenderer.render(scene, size));
  }

  static <T> T pick(Random rng, List<T> items) {
    return items.get(rng.nextInt(items.size()));
  }

  static <T> T pick(Random rng, T[] items) {
    return items[rng.nextInt(items.length)];
  }

  private static boolean distractor(Random rng) {
    return rng.nextDouble() < PUBLIC_DISTRACTOR_PROBABILITY;
  }

  private static Sample open(
      String id, Optional<ImageSource> image, Optional<String> text, String question, String answer) {
    String instruction = Prompts.multipleChoice(question, List.of(), image.isPresent(), text.isPresent());
    return new Sample(id, image, text, instruction, answer, Optional.empty(), List.of());
  }

  /**
   * A closed public question with its options in a random order, so that answering "(C) green" takes reading the
   * option list (the multiple-choice skill a pre-trained MLLM brings), not memorising a fixed letter per answer.
   */
  private static Sample closed(
      String id, Optional<ImageSource> image, Optional<String> text, Question question, Random rng) {
    List<String> options = new ArrayList<>(question.options());
    Collections.shuffle(options, rng);
    String instruction = Prompts.multipleChoice(question.question(), options, image.isPresent(), text.isPresent());
    return new Sample(id, image, text, instruction, question.answer(), Optional.empty(), options);
  }
}
