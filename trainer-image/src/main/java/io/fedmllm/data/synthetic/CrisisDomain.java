package io.fedmllm.data.synthetic;

import io.fedmllm.data.Prompts;
import io.fedmllm.data.Sample;
import io.fedmllm.data.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Eight-way crisis-tweet style task on photo-style pictures (sky over ground).
 *
 * <p>The picture shows what was hit: a house, a car, a person or nothing but land. The tweet says whether it is
 * about damage or about help. The class is the pair (subject, focus), e.g. house + damage =
 * infrastructure_and_utility_damage, car + help = other_relevant_information. Each modality also leaks part of the
 * other: half the tweets name the subject ("the car"), the other half use a generic word ("everything"); half the
 * pictures show a cue of the focus (smoke for damage, a red cross for help). A tree is a distractor.
 */
final class CrisisDomain extends Domain {

  /** What the picture shows. */
  enum Subject {
    HOUSE("a house", List.of("the house", "the school")),
    CAR("a car", List.of("the car", "the truck")),
    PERSON("a person", List.of("the family", "the neighbours")),
    LAND("empty land", List.of("the fields", "the park"));

    private final String caption;
    private final List<String> nouns;

    Subject(String caption, List<String> nouns) {
      this.caption = caption;
      this.nouns = nouns;
    }
  }

  /** What the tweet is about. */
  enum Focus {
    DAMAGE,
    HELP
  }

  /** Class name of each (subject, focus) pair: rows follow {@link Subject}, columns {@link Focus}. */
  private static final String[][] CLASS_OF = {
    {"infrastructure_and_utility_damage", "rescue_volunteering_or_donation_effort"},
    {"vehicle_damage", "other_relevant_information"},
    {"injured_or_dead_people", "affected_individuals"},
    {"missing_or_found_people", "not_humanitarian"},
  };

  /** Probability that the tweet names the subject, and that the picture shows the focus cue. */
  static final double LEAK_PROBABILITY = 0.5;

  private static final List<String> GENERIC_NOUNS = List.of("everything", "our street", "it all");
  private static final List<String> DAMAGE_TEMPLATES =
      List.of("%s was hit %s", "%s was badly damaged %s", "%s is ruined %s");
  private static final List<String> CAUSES = List.of("by the storm", "in the flood", "by the fire");
  private static final List<String> HELP_TEMPLATES =
      List.of("volunteers are helping %s", "donations are coming for %s", "rescue teams reached %s");

  CrisisDomain(int imageSize) {
    super(imageSize);
  }

  @Override
  Task task() {
    return Task.CRISIS;
  }

  private record Photo(Subject subject, Position position, boolean tree, Optional<Focus> cue) {

    Scene scene(long noiseSeed) {
      List<Sprite> sprites = new ArrayList<>();
      if (tree) {
        double treeX = position == Position.LEFT ? 0.85 : 0.12;
        sprites.add(Sprite.plain(Sprite.Kind.TREE, Colour.GREEN, treeX, 0.62, 0.16));
      }
      Sprite.Kind kind =
          switch (subject) {
            case HOUSE -> Sprite.Kind.HOUSE;
            case CAR -> Sprite.Kind.CAR;
            case PERSON -> Sprite.Kind.PERSON;
            case LAND -> null;
          };
      if (kind != null) {
        sprites.add(Sprite.plain(kind, Colour.GRAY, position.x(), 0.66, 0.18));
      }
      cue.ifPresent(
          focus ->
              sprites.add(
                  focus == Focus.DAMAGE
                      ? Sprite.plain(Sprite.Kind.SMOKE, Colour.GRAY, position.x(), 0.28, 0.15)
                      : Sprite.plain(Sprite.Kind.RED_CROSS, Colour.RED, 0.85, 0.15, 0.1)));
      return new Scene(Backdrop.CRISIS, sprites, noiseSeed);
    }

    String caption() {
      StringBuilder caption = new StringBuilder(subject.caption);
      if (subject != Subject.LAND) {
        caption.append(" on the ").append(position.word());
      }
      cue.ifPresent(focus -> caption.append(focus == Focus.DAMAGE ? " with smoke" : " with a red cross"));
      if (tree) {
        caption.append(" and a tree");
      }
      return caption.toString();
    }

    /** The label-relevant part of the picture; position and tree are independent of the label. */
    String key() {
      return subject + "|" + cue.map(Focus::name).orElse("no cue");
    }
  }

  private static Photo photo(Random rng, Subject subject, Focus focus) {
    Optional<Focus> cue = rng.nextDouble() < LEAK_PROBABILITY ? Optional.of(focus) : Optional.empty();
    return new Photo(subject, pick(rng, Position.values()), rng.nextBoolean(), cue);
  }

  /** A tweet and its label-relevant part (focus and noun; templates and causes are independent of the label). */
  private record Tweet(String text, String key) {}

  private static Tweet tweet(Random rng, Subject subject, Focus focus) {
    String noun = rng.nextDouble() < LEAK_PROBABILITY ? pick(rng, subject.nouns) : pick(rng, GENERIC_NOUNS);
    String text =
        focus == Focus.DAMAGE
            ? String.format(pick(rng, DAMAGE_TEMPLATES), noun, pick(rng, CAUSES))
            : String.format(pick(rng, HELP_TEMPLATES), noun);
    return new Tweet(text, focus + "|" + noun);
  }

  @Override
  SyntheticExample labelled(String id, Random rng) {
    Subject subject = pick(rng, Subject.values());
    Focus focus = pick(rng, Focus.values());
    Photo photo = photo(rng, subject, focus);
    Tweet tweet = tweet(rng, subject, focus);
    List<String> classes = Task.CRISIS.labels();
    int label = classes.indexOf(CLASS_OF[subject.ordinal()][focus.ordinal()]);
    Sample sample =
        Sample.multipleChoice(
            id,
            Optional.of(image(id, photo.scene(rng.nextLong()))),
            Optional.of(tweet.text()),
            Prompts.question(Task.CRISIS),
            classes,
            Optional.of(label));
    return new SyntheticExample(sample, photo.key(), tweet.key());
  }

  @Override
  Described<Scene> describedScene(Random rng) {
    Subject subject = pick(rng, Subject.values());
    Photo photo = photo(rng, subject, pick(rng, Focus.values()));
    List<String> subjects = List.of(Subject.values()).stream().map(s -> s.caption).toList();
    Question question = new Question("What does the picture show?", subjects, subject.caption);
    return new Described<>(photo.scene(rng.nextLong()), photo.caption(), question);
  }

  @Override
  Described<String> textWithQuestion(Random rng) {
    Focus focus = pick(rng, Focus.values());
    String text = tweet(rng, pick(rng, Subject.values()), focus).text();
    String answer = focus == Focus.DAMAGE ? "damage" : "help";
    Question question = new Question("Is the text about damage or help?", List.of("damage", "help"), answer);
    return new Described<>(text, text, question);
  }

  /** The class names in (subject, focus) order, for documentation and tests. */
  static String classOf(Subject subject, Focus focus) {
    return CLASS_OF[subject.ordinal()][focus.ordinal()];
  }
}
