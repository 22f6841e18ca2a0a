package io.fedmllm.data.synthetic;

/** Horizontal placement of an object in a scene, as a fraction of the image width. */
enum Position {
  LEFT(0.25),
  MIDDLE(0.5),
  RIGHT(0.75);

  private final double x;

  Position(double x) {
    this.x = x;
  }

  double x() {
    return x;
  }

  String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
