package io.fedmllm.data.synthetic;

/**
 * The per-domain visual style of a scene: what is behind the objects and how strong the pixel noise is.
 * Meme: pale paper with a black caption band on top. Crisis: photo-like sky over ground. Scan: dark medical-scan
 * look with a grey organ outline.
 */
enum Backdrop {
  MEME(6),
  CRISIS(12),
  SCAN(10);

  private final int noiseAmplitude;

  Backdrop(int noiseAmplitude) {
    this.noiseAmplitude = noiseAmplitude;
  }

  /** Each channel of each pixel is shifted by a uniform integer in [-amplitude, amplitude]. */
  int noiseAmplitude() {
    return noiseAmplitude;
  }
}
