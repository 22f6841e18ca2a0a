package io.fedmllm.data.synthetic;

import java.awt.Color;
import java.util.List;

/** The named colours of synthetic scenes; {@link #word()} is how texts and captions call them. */
enum Colour {
  RED(200, 40, 40),
  GREEN(40, 160, 60),
  BLUE(50, 80, 210),
  YELLOW(230, 200, 40),
  BROWN(120, 75, 40),
  GRAY(130, 130, 135),
  PINK(240, 170, 160),
  NAVY(30, 40, 90);

  /** The four colours that carry meaning in tasks and captions, in a fixed order. */
  static final List<Colour> NAMED = List.of(RED, GREEN, BLUE, YELLOW);

  private final Color awt;

  Colour(int red, int green, int blue) {
    this.awt = new Color(red, green, blue);
  }

  Color awt() {
    return awt;
  }

  String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  static List<String> namedWords() {
    return NAMED.stream().map(Colour::word).toList();
  }
}
