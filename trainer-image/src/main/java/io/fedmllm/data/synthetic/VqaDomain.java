package io.fedmllm.data.synthetic;

import io.fedmllm.data.Sample;
import io.fedmllm.data.Task;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Closed-answer VQA on scan-style pictures (dark background, grey organ, two coloured spots).
 *
 * <p>Every scan shows a round spot and a square spot, one on each side, in two different colours. The clinical
 * note (the text) says which spot it is about. The question asks either "What colour is the spot the note
 * mentions?" (red/green/blue/yellow) or "Is the spot the note mentions on the left?" (yes/no). The picture alone
 * does not say which spot is meant; the note alone does not say its colour or side, except through the colour
 * prior: round spots tend to be red or yellow, square spots blue or green.
 */
final class VqaDomain extends Domain {

  static final String COLOUR_QUESTION = "What colour is the spot the note mentions?";
  static final String SIDE_QUESTION = "Is the spot the note mentions on the left?";

  /** Colour priors over {@link Colour#NAMED} (red, green, blue, yellow), before making the two spots differ. */
  private static final double[] ROUND_COLOUR_WEIGHTS = {0.4, 0.1, 0.2, 0.3};

  private static final double[] SQUARE_COLOUR_WEIGHTS = {0.1, 0.3, 0.4, 0.2};

  private static final List<String> NOTE_TEMPLATES =
      List.of("please check the %s spot", "follow up on the %s spot", "the %s spot looks new");

  VqaDomain(int imageSize) {
    super(imageSize);
  }

  @Override
  Task task() {
    return Task.VQA;
  }

  private record Scan(Colour round, Colour square, boolean roundOnLeft) {

    Scene scene(long noiseSeed) {
      double roundX = roundOnLeft ? 0.3 : 0.7;
      double squareX = roundOnLeft ? 0.7 : 0.3;
      return new Scene(
          Backdrop.SCAN,
          List.of(
              Sprite.plain(Sprite.Kind.CIRCLE, round, roundX, 0.5, 0.13),
              Sprite.plain(Sprite.Kind.SQUARE, square, squareX, 0.5, 0.11)),
          noiseSeed);
    }

    String caption() {
      String roundSide = roundOnLeft ? "left" : "right";
      String squareSide = roundOnLeft ? "right" : "left";
      return "a " + round.word() + " round spot on the " + roundSide + " and a " + square.word()
          + " square spot on the " + squareSide;
    }

    String key() {
      return round + "|" + square + "|" + roundOnLeft;
    }
  }

  private static Scan scan(Random rng) {
    Colour round = weighted(rng, ROUND_COLOUR_WEIGHTS);
    Colour square = weighted(rng, SQUARE_COLOUR_WEIGHTS);
    while (square == round) {
      square = weighted(rng, SQUARE_COLOUR_WEIGHTS);
    }
    return new Scan(round, square, rng.nextBoolean());
  }

  private static Colour weighted(Random rng, double[] weights) {
    double draw = rng.nextDouble();
    for (int i = 0; i < weights.length; i++) {
      draw -= weights[i];
      if (draw < 0) {
        return Colour.NAMED.get(i);
      }
    }
    return Colour.NAMED.get(weights.length - 1);
  }

  @Override
  SyntheticExample labelled(String id, Random rng) {
    Scan scan = scan(rng);
    boolean aboutRound = rng.nextBoolean();
    String spot = aboutRound ? "round" : "square";
    String note = String.format(pick(rng, NOTE_TEMPLATES), spot);
    boolean colourQuestion = rng.nextBoolean();
    String question;
    List<String> options;
    String answer;
    if (colourQuestion) {
      question = COLOUR_QUESTION;
      options = Colour.namedWords();
      answer = (aboutRound ? scan.round() : scan.square()).word();
    } else {
      question = SIDE_QUESTION;
      options = List.of("yes", "no");
      answer = aboutRound == scan.roundOnLeft() ? "yes" : "no";
    }
    Sample sample =
        Sample.multipleChoice(
            id,
            Optional.of(image(id, scan.scene(rng.nextLong()))),
            Optional.of(note),
            question,
            options,
            Optional.of(options.indexOf(answer)));
    String questionKey = colourQuestion ? "colour" : "side";
    return new SyntheticExample(sample, questionKey + "|" + scan.key(), questionKey + "|" + spot);
  }

  @Override
  Described<Scene> describedScene(Random rng) {
    Scan scan = scan(rng);
    Question question =
        rng.nextBoolean()
            ? new Question("What colour is the round spot?", Colour.namedWords(), scan.round().word())
            : new Question(
                "Which side is the round spot on?", List.of("left", "right"), scan.roundOnLeft() ? "left" : "right");
    return new Described<>(scan.scene(rng.nextLong()), scan.caption(), question);
  }

  @Override
  Described<String> textWithQuestion(Random rng) {
    String spot = rng.nextBoolean() ? "round" : "square";
    String note = String.format(pick(rng, NOTE_TEMPLATES), spot);
    Question question = new Question("Which spot does the note mention?", List.of("round", "square"), spot);
    return new Described<>(note, note, question);
  }
}
