package io.fedmllm.data.partition;

import io.fedmllm.data.Sample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Label-skew partitioning as in the paper: for every label, the clients' shares are drawn from Dirichlet(alpha) and
 * that label's samples (shuffled) are cut in those proportions. Small alpha concentrates each label on few clients;
 * large alpha approaches an even split.
 *
 * <p>The label of a sample is {@link Sample#labelKey()}: its class index, or its answer string when it has none
 * (VQA). Labels are processed in sorted order and every random draw comes from the seed, so a seed always gives the
 * same partition. Every client gets at least one sample: the draw is repeated (up to {@value #MAX_DRAWS} times, as
 * the reference code does) until no client is empty, and if it still is, the largest clients each give one sample
 * to an empty one. Within a client, samples keep their order in the input list.
 */
public final class DirichletPartitioner {

  static final int MAX_DRAWS = 100;

  private final double alpha;
  private final long seed;

  public DirichletPartitioner(double alpha, long seed) {
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("Dirichlet alpha must be a positive number, got " + alpha);
    }
    this.alpha = alpha;
    this.seed = seed;
  }

  public double alpha() {
    return alpha;
  }

  /** Splits {@code samples} among {@code clients} clients; needs at least one sample per client. */
  public List<List<Sample>> partition(List<Sample> samples, int clients) {
    if (clients < 1) {
      throw new IllegalArgumentException("need at least one client, got " + clients);
    }
    if (samples.size() < clients) {
      throw new IllegalArgumentException(
          "cannot give each of " + clients + " clients a sample: only " + samples.size() + " samples");
    }
    Map<String, List<Integer>> byLabel = indicesByLabel(samples);
    Random rng = Seeds.stream(seed, 0x4449524943484CL, 0);
    List<List<Integer>> assignment = null;
    for (int draw = 0; draw < MAX_DRAWS; draw++) {
      assignment = draw(byLabel, clients, rng);
      if (assignment.stream().noneMatch(List::isEmpty)) {
        break;
      }
    }
    fillEmptyClients(assignment);
    List<List<Sample>> partition = new ArrayList<>(clients);
    for (List<Integer> indices : assignment) {
      Collections.sort(indices);
      partition.add(indices.stream().map(samples::get).toList());
    }
    return partition;
  }

  private static Map<String, List<Integer>> indicesByLabel(List<Sample> samples) {
    Map<String, List<Integer>> byLabel = new TreeMap<>();
    for (int i = 0; i < samples.size(); i++) {
      byLabel.computeIfAbsent(samples.get(i).labelKey(), k -> new ArrayList<>()).add(i);
    }
    return byLabel;
  }

  private List<List<Integer>> draw(Map<String, List<Integer>> byLabel, int clients, Random rng) {
    List<List<Integer>> assignment = new ArrayList<>(clients);
    for (int c = 0; c < clients; c++) {
      assignment.add(new ArrayList<>());
    }
    for (List<Integer> labelIndices : byLabel.values()) {
      List<Integer> shuffled = new ArrayList<>(labelIndices);
      Collections.shuffle(shuffled, rng);
      double[] shares = DirichletSampler.sample(alpha, clients, rng);
      double cumulative = 0;
      int start = 0;
      for (int c = 0; c < clients; c++) {
        cumulative += shares[c];
        int end = c == clients - 1 ? shuffled.size() : (int) Math.round(cumulative * shuffled.size());
        end = Math.max(start, Math.min(shuffled.size(), end));
        assignment.get(c).addAll(shuffled.subList(start, end));
        start = end;
      }
    }
    return assignment;
  }

  /** Moves one sample from the currently largest client to each empty client. Deterministic. */
  private static void fillEmptyClients(List<List<Integer>> assignment) {
    for (List<Integer> client : assignment) {
      if (client.isEmpty()) {
        List<Integer> largest = Collections.max(assignment, Comparator.comparingInt(List::size));
        client.add(largest.remove(largest.size() - 1));
      }
    }
  }
}
