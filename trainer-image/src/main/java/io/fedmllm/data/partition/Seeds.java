package io.fedmllm.data.partition;

import java.util.Random;

/** Independent, reproducible random streams derived from one seed (SplitMix64 mixing). */
final class Seeds {

  private Seeds() {}

  /** A stream for the given purpose and index, independent of every other (purpose, index). */
  static Random stream(long seed, long purpose, long index) {
    return new Random(mix(mix(mix(seed) ^ purpose) ^ index));
  }

  private static long mix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
