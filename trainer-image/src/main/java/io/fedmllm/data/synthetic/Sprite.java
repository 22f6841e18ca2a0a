package io.fedmllm.data.synthetic;

/**
 * One object drawn in a scene. Coordinates and radius are fractions of the image size, so a scene renders at any
 * resolution.
 *
 * @param kind what is drawn
 * @param colour main colour (ignored by kinds with fixed colours)
 * @param x centre, fraction of the width
 * @param y centre, fraction of the height
 * @param radius half the object's extent, fraction of the size
 * @param striped whether the object is overlaid with dark horizontal stripes
 */
record Sprite(Kind kind, Colour colour, double x, double y, double radius, boolean striped) {

  /** Drawable object kinds. */
  enum Kind {
    CIRCLE,
    SQUARE,
    TRIANGLE,
    HOUSE,
    CAR,
    PERSON,
    TREE,
    RED_CROSS,
    SMOKE
  }

  static Sprite plain(Kind kind, Colour colour, double x, double y, double radius) {
    return new Sprite(kind, colour, x, y, radius, false);
  }
}
