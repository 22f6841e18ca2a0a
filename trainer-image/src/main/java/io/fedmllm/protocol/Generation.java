package io.fedmllm.protocol;

/**
 * One stretch of a federation run under one configuration: generation 0 is {@code federation.json}, generation G
 * >= 1 is {@code continuations/GGGGG/continuation.json}. Each generation ends with its own outcome; a generation
 * exists only if the previous one COMPLETED, so the chain has no gaps and is found by probing, never by listing.
 *
 * @param fromRound the first round this generation runs (0 for generation 0)
 */
public record Generation(int number, int fromRound, FederationConfig config) {

  /**
   * The newest generation: probes {@code continuations/00001/continuation.json}, {@code 00002}, ... until one is
   * missing.
   *
   * @param first the configuration in {@code federation.json}
   */
  public static Generation latest(ManifestStore manifests, FederationLayout layout, FederationConfig first) {
    Generation g = new Generation(0, 0, first);
    while (true) {
      int next = g.number() + 1;
      java.util.Optional<Continuation> c = manifests.read(layout.continuation(next), Continuation.class);
      if (c.isEmpty()) {
        return g;
      }
      Continuation k = c.get();
      if (k.generation() != next || k.fromRound() != g.config().rounds()) {
        throw new ProtocolException(layout.continuation(next) + ": names generation " + k.generation()
            + " from round " + k.fromRound() + ", expected generation " + next + " from round " + g.config().rounds());
      }
      g = new Generation(next, k.fromRound(), k.federation());
    }
  }

  /** The key of this generation's outcome. */
  public String outcomeKey(FederationLayout layout) {
    return layout.outcome(number);
  }
}
