package io.fedmllm.data.synthetic;

import io.fedmllm.data.Prompts;
import io.fedmllm.data.Sample;
import io.fedmllm.data.Task;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * A public, text-only instruction-following task: "Which option is listed as (C)?" over a shuffled list of words.
 * It teaches what any pre-trained instruction-tuned LM brings to a multiple-choice benchmark: reading an option list
 * and writing out the chosen option, for words it has never produced as an answer before. The words include the
 * downstream tasks' label names (as a real LM knows the word "hateful"), but never their meaning: which option is
 * right depends only on the letter asked for.
 */
final class OptionCopyTask {
  private static final List<String> GENERAL_WORDS =
      List.of("yes", "no", "maybe", "left", "right", "red", "green", "blue", "yellow", "circle", "square",
          "triangle", "kind", "neutral", "rude", "hostile", "damage", "help", "house", "car", "person", "tree",
          "river", "road", "bridge", "school", "fire", "flood", "storm", "rescue", "safe", "unsafe", "true", "false");

  private final List<String> vocabulary;

  OptionCopyTask() {
    Set<String> words = new LinkedHashSet<>(GENERAL_WORDS);
    for (Task task : Task.values()) {
      words.addAll(task.labels());
    }
    vocabulary = List.copyOf(words);
  }

  Sample sample(String id, Random rng) {
    int count = 2 + rng.nextInt(7);
    List<String> pool = new ArrayList<>(vocabulary);
    Collections.shuffle(pool, rng);
    List<String> options = List.copyOf(pool.subList(0, count));
    int answer = rng.nextInt(count);
    String question = "Which option is listed as (" + Prompts.optionMarker(answer) + ")?";
    String instruction = Prompts.multipleChoice(question, options, false, false);
    return new Sample(
        id, Optional.empty(), Optional.empty(), instruction, options.get(answer), Optional.empty(), options);
  }
}
