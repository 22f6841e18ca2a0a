package io.fedmllm.data.synthetic;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * Draws a {@link Scene} into an RGB picture with java.awt (headless). Antialiasing is off and the noise comes from
 * the scene's own seed, so the same scene always gives the same pixels.
 */
final class SceneRenderer {

  private static final Color PAPER = new Color(236, 230, 218);
  private static final Color SKY = new Color(150, 195, 235);
  private static final Color GROUND = new Color(110, 125, 70);
  private static final Color SCAN_BLACK = new Color(15, 15, 20);
  private static final Color ORGAN = new Color(85, 85, 90);

  private SceneRenderer() {}

  static BufferedImage render(Scene scene, int size) {
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
      Random noise = new Random(scene.noiseSeed());
      drawBackdrop(g, scene.backdrop(), size, noise);
      for (Sprite sprite : scene.sprites()) {
        drawSprite(g, sprite, size);
      }
      addNoise(image, scene.backdrop().noiseAmplitude(), noise);
    } finally {
      g.dispose();
    }
    return image;
  }

  private static void drawBackdrop(Graphics2D g, Backdrop backdrop, int size, Random noise) {
    switch (backdrop) {
      case MEME -> {
        g.setColor(PAPER);
        g.fillRect(0, 0, size, size);
        int band = Math.max(2, size * 18 / 100);
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, size, band);
        g.setColor(Color.WHITE);
        for (int x = 2; x < size - 2; x += 2) {
          if (noise.nextInt(3) > 0) {
            g.fillRect(x, band / 3, 1, Math.max(1, band / 3));
          }
        }
      }
      case CRISIS -> {
        int horizon = size * 45 / 100;
        for (int y = 0; y < horizon; y++) {
          int fade = 20 * y / Math.max(1, horizon);
          g.setColor(new Color(SKY.getRed() + fade, SKY.getGreen() + fade / 2, SKY.getBlue()));
          g.fillRect(0, y, size, 1);
        }
        g.setColor(GROUND);
        g.fillRect(0, horizon, size, size - horizon);
      }
      case SCAN -> {
        g.setColor(SCAN_BLACK);
        g.fillRect(0, 0, size, size);
        g.setColor(ORGAN);
        int margin = size / 10;
        g.fillOval(margin, margin * 2, size - 2 * margin, size - 4 * margin);
      }
    }
  }

  private static void drawSprite(Graphics2D g, Sprite sprite, int size) {
    int cx = px(sprite.x(), size);
    int cy = px(sprite.y(), size);
    int r = Math.max(2, px(sprite.radius(), size));
    Shape outline =
        switch (sprite.kind()) {
          case CIRCLE -> fill(g, sprite.colour().awt(), new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r));
          case SQUARE -> fill(g, sprite.colour().awt(), new Rectangle2D.Double(cx - r, cy - r, 2 * r, 2 * r));
          case TRIANGLE -> fill(g, sprite.colour().awt(), triangle(cx, cy, r));
          case HOUSE -> house(g, cx, cy, r);
          case CAR -> car(g, cx, cy, r);
          case PERSON -> person(g, cx, cy, r);
          case TREE -> tree(g, cx, cy, r);
          case RED_CROSS -> redCross(g, cx, cy, r);
          case SMOKE -> smoke(g, cx, cy, r);
        };
    if (sprite.striped()) {
      Color dark = sprite.colour().awt().darker().darker();
      g.setClip(outline);
      g.setColor(dark);
      for (int y = cy - r; y <= cy + r; y += 3) {
        g.fillRect(cx - r, y, 2 * r + 1, 1);
      }
      g.setClip(null);
    }
  }

  private static Shape fill(Graphics2D g, Color colour, Shape shape) {
    g.setColor(colour);
    g.fill(shape);
    return shape;
  }

  private static Polygon triangle(int cx, int cy, int r) {
    return new Polygon(new int[] {cx - r, cx + r, cx}, new int[] {cy + r, cy + r, cy - r}, 3);
  }

  private static Shape house(Graphics2D g, int cx, int cy, int r) {
    Shape body = fill(g, Colour.BROWN.awt(), new Rectangle2D.Double(cx - r, cy - r / 3.0, 2 * r, r + r / 3.0));
    fill(g, new Color(150, 30, 30), new Polygon(
        new int[] {cx - r - 1, cx + r + 1, cx}, new int[] {cy - r / 3, cy - r / 3, cy - r - 1}, 3));
    return body;
  }

  private static Shape car(Graphics2D g, int cx, int cy, int r) {
    Shape body = fill(g, Colour.GRAY.awt(), new Rectangle2D.Double(cx - r, cy - r / 2.0, 2 * r, r));
    int wheel = Math.max(1, r / 3);
    g.setColor(Color.BLACK);
    g.fillOval(cx - r + 1, cy + r / 2 - wheel, 2 * wheel, 2 * wheel);
    g.fillOval(cx + r - 1 - 2 * wheel, cy + r / 2 - wheel, 2 * wheel, 2 * wheel);
    return body;
  }

  private static Shape person(Graphics2D g, int cx, int cy, int r) {
    int head = Math.max(1, r / 2);
    fill(g, Colour.PINK.awt(), new Ellipse2D.Double(cx - head, cy - r, 2 * head, 2 * head));
    return fill(g, Colour.NAVY.awt(), new Rectangle2D.Double(cx - head, cy - r + 2 * head, 2 * head, r));
  }

  private static Shape tree(Graphics2D g, int cx, int cy, int r) {
    fill(g, Colour.BROWN.awt(), new Rectangle2D.Double(cx - 1, cy, 2, r));
    return fill(g, Colour.GREEN.awt(), triangle(cx, cy - r / 3, r * 2 / 3 + 1));
  }

  private static Shape redCross(Graphics2D g, int cx, int cy, int r) {
    Shape square = fill(g, Color.WHITE, new Rectangle2D.Double(cx - r, cy - r, 2 * r, 2 * r));
    int arm = Math.max(1, r / 3);
    g.setColor(Colour.RED.awt());
    g.fillRect(cx - r + 1, cy - arm, 2 * r - 1, 2 * arm);
    g.fillRect(cx - arm, cy - r + 1, 2 * arm, 2 * r - 1);
    return square;
  }

  private static Shape smoke(Graphics2D g, int cx, int cy, int r) {
    Color smoke = new Color(55, 55, 60);
    fill(g, smoke, new Ellipse2D.Double(cx - r, cy - r / 2.0, r * 1.2, r * 1.2));
    return fill(g, smoke, new Ellipse2D.Double(cx - r / 3.0, cy - r, r * 1.3, r * 1.3));
  }

  private static void addNoise(BufferedImage image, int amplitude, Random noise) {
    int span = 2 * amplitude + 1;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        int red = clamp(((rgb >> 16) & 0xFF) + noise.nextInt(span) - amplitude);
        int green = clamp(((rgb >> 8) & 0xFF) + noise.nextInt(span) - amplitude);
        int blue = clamp((rgb & 0xFF) + noise.nextInt(span) - amplitude);
        image.setRGB(x, y, (red << 16) | (green << 8) | blue);
      }
    }
  }

  private static int clamp(int channel) {
    return Math.max(0, Math.min(255, channel));
  }

  private static int px(double fraction, int size) {
    return (int) Math.round(fraction * size);
  }
}
