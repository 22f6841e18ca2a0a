package io.fedmllm.data.synthetic;

import io.fedmllm.data.Prompts;
import io.fedmllm.data.Sample;
import io.fedmllm.data.Task;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Binary hateful-meme style task on meme-style pictures (pale paper, black caption band, one shape).
 *
 * <p>The picture's colour carries a hostility level (green 0, blue 1, yellow 2, red 3) and the caption's tone word
 * another (lovely/wonderful 0, fine/okay 1, weird/annoying 2, disgusting/vile 3). The meme is hateful when the two
 * levels add up to 4 or more. Shape kind, position and stripes are distractors. Either modality alone leaves the
 * label open in half of its values; both together decide it.
 */
final class HatefulDomain extends Domain {

  static final int HATEFUL_THRESHOLD = 4;

  /** Colours in increasing hostility. */
  private static final List<Colour> HOSTILITY =
      List.of(Colour.GREEN, Colour.BLUE, Colour.YELLOW, Colour.RED);

  private static final List<List<String>> TONE_WORDS =
      List.of(
          List.of("lovely", "wonderful"),
          List.of("fine", "okay"),
          List.of("weird", "annoying"),
          List.of("disgusting", "vile"));

  /** What a pre-training question calls each tone level. */
  private static final List<String> TONE_NAMES = List.of("kind", "neutral", "rude", "hostile");

  private static final List<String> SUBJECTS =
      List.of("these people", "those folks", "my neighbours", "the new kids", "they");

  private static final List<String> TEMPLATES =
      List.of("%s are %s", "%s look %s", "honestly %s are so %s", "i think %s are %s");

  private static final List<Sprite.Kind> SHAPES =
      List.of(Sprite.Kind.CIRCLE, Sprite.Kind.SQUARE, Sprite.Kind.TRIANGLE);

  HatefulDomain(int imageSize) {
    super(imageSize);
  }

  @Override
  Task task() {
    return Task.HATEFUL;
  }

  private record Figure(Sprite.Kind kind, Colour colour, Position position, boolean striped) {

    Scene scene(long noiseSeed) {
      Sprite sprite = new Sprite(kind, colour, position.x(), 0.6, 0.17, striped);
      return new Scene(Backdrop.MEME, List.of(sprite), noiseSeed);
    }

    String caption() {
      String shape = kind.name().toLowerCase(java.util.Locale.ROOT);
      return "a " + colour.word() + (striped ? " striped " : " ") + shape + " on the " + position.word();
    }

    /** The label-relevant part of the picture; shape, position and stripes are independent of the label. */
    String key() {
      return colour.word();
    }
  }

  private record Caption(int toneLevel, String toneWord, String text) {}

  private static Figure figure(Random rng) {
    return new Figure(
        pick(rng, SHAPES), pick(rng, HOSTILITY), pick(rng, Position.values()), rng.nextBoolean());
  }

  private static Caption caption(Random rng) {
    int tone = rng.nextInt(TONE_WORDS.size());
    String template = pick(rng, TEMPLATES);
    String subject = pick(rng, SUBJECTS);
    String toneWord = pick(rng, TONE_WORDS.get(tone));
    return new Caption(tone, toneWord, String.format(template, subject, toneWord));
  }

  @Override
  SyntheticExample labelled(String id, Random rng) {
    Figure figure = figure(rng);
    Caption caption = caption(rng);
    long noiseSeed = rng.nextLong();
    int hostility = HOSTILITY.indexOf(figure.colour()) + caption.toneLevel();
    int label = hostility >= HATEFUL_THRESHOLD ? 1 : 0;
    Sample sample =
        Sample.multipleChoice(
            id,
            Optional.of(image(id, figure.scene(noiseSeed))),
            Optional.of(caption.text()),
            Prompts.question(Task.HATEFUL),
            Task.HATEFUL.labels(),
            Optional.of(label));
    return new SyntheticExample(sample, figure.key(), caption.toneWord());
  }

  @Override
  Described<Scene> describedScene(Random rng) {
    Figure figure = figure(rng);
    Scene scene = figure.scene(rng.nextLong());
    return new Described<>(scene, figure.caption(), imageQuestion(scene, rng));
  }

  private static Question imageQuestion(Scene scene, Random rng) {
    Sprite sprite = scene.sprites().get(0);
    return rng.nextBoolean()
        ? new Question("What colour is the shape?", Colour.namedWords(), sprite.colour().word())
        : new Question(
            "Which shape is shown?",
            SHAPES.stream().map(k -> k.name().toLowerCase(java.util.Locale.ROOT)).toList(),
            sprite.kind().name().toLowerCase(java.util.Locale.ROOT));
  }

  @Override
  Described<String> textWithQuestion(Random rng) {
    Caption caption = caption(rng);
    Question tone =
        new Question("What is the tone of the text?", TONE_NAMES, TONE_NAMES.get(caption.toneLevel()));
    return new Described<>(caption.text(), caption.text(), tone);
  }
}
