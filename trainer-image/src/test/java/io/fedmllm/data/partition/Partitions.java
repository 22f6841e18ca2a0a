package io.fedmllm.data.partition;

import io.fedmllm.data.RenderedImage;
import io.fedmllm.data.Sample;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Test data and measurements for partitioning tests. */
final class Partitions {

  private static final RenderedImage PIXEL =
      RenderedImage.of("pixel", new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB));

  private Partitions() {}

  /** {@code perLabel} samples of each of {@code labels} classes, with image and text. */
  static List<Sample> labelled(int labels, int perLabel) {
    List<String> options = new ArrayList<>();
    for (int l = 0; l < labels; l++) {
      options.add("class" + l);
    }
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < perLabel; i++) {
      for (int l = 0; l < labels; l++) {
        samples.add(
            Sample.multipleChoice(
                "s" + l + "-" + i, Optional.of(PIXEL), Optional.of("text " + i), "Which class?", options,
                Optional.of(l)));
      }
    }
    return samples;
  }

  /** Mean over clients of the Shannon entropy (bits) of the client's label distribution. */
  static double meanLabelEntropy(List<List<Sample>> clients) {
    double total = 0;
    for (List<Sample> client : clients) {
      Map<String, Integer> counts = new HashMap<>();
      client.forEach(sample -> counts.merge(sample.labelKey(), 1, Integer::sum));
      double entropy = 0;
      for (int count : counts.values()) {
        double p = (double) count / client.size();
        entropy -= p * Math.log(p) / Math.log(2);
      }
      total += entropy;
    }
    return total / clients.size();
  }

  static List<Sample> flatten(List<List<Sample>> clients) {
    return clients.stream().flatMap(List::stream).toList();
  }
}
