package io.fedmllm.model;

import ai.djl.engine.Engine;
import java.util.function.Supplier;

/**
 * The one way into the engine's random generator. PyTorch has a single global CPU generator (and one per GPU), which
 * DJL exposes only through {@link Engine#setRandomSeed}; a client's draws would otherwise depend on every draw made
 * before them in the process (other clients, other threads). Every draw here is seeded and taken under one lock, so
 * it depends only on its own seed: the same seed gives the same bits whatever other clients or threads do.
 */
public final class EngineRandom {
  private static final Object LOCK = new Object();

  private EngineRandom() {}

  /** Runs {@code draw} (which draws from the engine's generator) with the generator seeded to {@code seed}. */
  public static <T> T seeded(int seed, Supplier<T> draw) {
    synchronized (LOCK) {
      Engine.getInstance().setRandomSeed(seed);
      return draw.get();
    }
  }
}
