package io.fedmllm.data.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.data.RenderedImage;
import io.fedmllm.data.Sample;
import io.fedmllm.data.Task;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SyntheticGeneratorTest {

  @ParameterizedTest
  @EnumSource(Task.class)
  void sameSeedGivesIdenticalSamplesAndPixels(Task task) {
    List<Sample> first = new SyntheticGenerator(42).pool(task, 30);
    List<Sample> second = new SyntheticGenerator(42).pool(task, 30);
    for (int i = 0; i < first.size(); i++) {
      assertSameContent(first.get(i), second.get(i));
      assertArrayEquals(pixels(first.get(i)), pixels(second.get(i)));
    }
  }

  @Test
  void differentSeedsAndSplitsGiveDifferentData() {
    List<Sample> seed42 = new SyntheticGenerator(42).pool(Task.CRISIS, 20);
    List<Sample> seed43 = new SyntheticGenerator(43).pool(Task.CRISIS, 20);
    List<Sample> test42 = new SyntheticGenerator(42).test(Task.CRISIS, 20);
    assertNotEquals(texts(seed42), texts(seed43));
    assertNotEquals(texts(seed42), texts(test42));
    assertFalse(Arrays.equals(pixels(seed42.get(0)), pixels(seed43.get(0))));
    assertTrue(test42.get(0).id().startsWith("crisis-test-"));
  }

  @Test
  void aLongerListStartsWithTheShorterOne() {
    List<Sample> shorter = new SyntheticGenerator(5).test(Task.VQA, 10);
    List<Sample> longer = new SyntheticGenerator(5).test(Task.VQA, 25);
    for (int i = 0; i < shorter.size(); i++) {
      assertSameContent(shorter.get(i), longer.get(i));
    }
  }

  @Test
  void imageSizeIsConfigurableAndRgb() {
    BufferedImage image = image(new SyntheticGenerator(1, 48).pool(Task.HATEFUL, 1).get(0));
    assertEquals(48, image.getWidth());
    assertEquals(48, image.getHeight());
    assertEquals(BufferedImage.TYPE_INT_RGB, image.getType());
    assertEquals(32, image(new SyntheticGenerator(1).pool(Task.HATEFUL, 1).get(0)).getWidth());
  }

  @Test
  void labelledSamplesHaveBothModalitiesAndTheAnswerIsTheLabelledOption() {
    for (Task task : Task.values()) {
      for (Sample sample : new SyntheticGenerator(3).pool(task, 50)) {
        assertTrue(sample.hasImage() && sample.hasText(), sample.id());
        assertEquals(sample.options().get(sample.label().orElseThrow()), sample.answer());
        assertTrue(sample.instruction().startsWith("Look at the image and read the text."));
      }
    }
  }

  @Test
  void crisisUsesAllEightClassesAboutEvenly() {
    Map<String, Long> counts =
        new SyntheticGenerator(9).pool(Task.CRISIS, 1600).stream()
            .collect(Collectors.groupingBy(Sample::answer, Collectors.counting()));
    assertEquals(Task.CRISIS.labels().size(), counts.size());
    counts.values().forEach(count -> assertTrue(count > 140 && count < 260, counts.toString()));
  }

  @Test
  void hatefulPriorIsThreeEighths() {
    long hateful =
        new SyntheticGenerator(9).pool(Task.HATEFUL, 2000).stream().filter(s -> s.label().get() == 1).count();
    assertEquals(0.375, hateful / 2000.0, 0.04);
  }

  @Test
  void publicSplitTeachesConceptsWithoutTaskLabels() {
    List<Sample> samples = new SyntheticGenerator(42).publicSplit(600);
    Map<String, Integer> kinds = new HashMap<>();
    for (Sample sample : samples) {
      assertTrue(sample.label().isEmpty(), sample.id());
      assertFalse(sample.answer().isBlank());
      if (!sample.hasImage() && !sample.hasText()) {
        // The option-copy task: label words may be answers, but only as "the option listed as (X)", so the
        // answer follows from the letter asked for, never from a picture or a text.
        String marker = sample.instruction().replaceAll(".*listed as \\((\\w+)\\).*", "$1");
        int index = marker.charAt(0) - 'A';
        assertEquals(sample.options().get(index), sample.answer(), sample.instruction());
        kinds.merge("option-copy", 1, Integer::sum);
        continue;
      }
      assertFalse(Task.CRISIS.labels().contains(sample.answer()), sample.answer());
      assertFalse(Task.HATEFUL.labels().contains(sample.answer()), sample.answer());
      String kind = sample.hasImage() ? (sample.hasText() ? "both" : "image") : "text";
      kinds.merge(kind, 1, Integer::sum);
    }
    assertTrue(kinds.getOrDefault("option-copy", 0) > 50, kinds.toString());
    assertTrue(kinds.get("image") > 150 && kinds.get("text") > 150 && kinds.get("both") > 50, kinds.toString());
    assertTrue(samples.stream().anyMatch(s -> s.instruction().endsWith("Describe the image.")));
    assertTrue(samples.stream().anyMatch(s -> s.instruction().endsWith("Repeat the text.")));
    assertTrue(samples.stream().anyMatch(s -> s.answer().equals("hostile")));
  }

  @Test
  void captionsDescribeWhatIsDrawn() {
    int checked = 0;
    for (Sample sample : new SyntheticGenerator(11).publicSplit(300)) {
      if (!sample.instruction().endsWith("Describe the image.") || !sample.answer().contains("striped")) {
        continue;
      }
      String colourWord = sample.answer().split(" ")[1];
      Colour colour = Colour.valueOf(colourWord.toUpperCase(java.util.Locale.ROOT));
      assertTrue(pixelsNear(image(sample), colour) >= 15, sample.answer());
      checked++;
    }
    assertTrue(checked >= 5, "too few meme captions checked: " + checked);
  }

  private static long pixelsNear(BufferedImage image, Colour colour) {
    long near = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        java.awt.Color pixel = new java.awt.Color(image.getRGB(x, y));
        java.awt.Color want = colour.awt();
        int distance =
            Math.abs(pixel.getRed() - want.getRed()) + Math.abs(pixel.getGreen() - want.getGreen())
                + Math.abs(pixel.getBlue() - want.getBlue());
        if (distance < 30) {
          near++;
        }
      }
    }
    return near;
  }

  private static List<String> texts(List<Sample> samples) {
    return samples.stream().map(s -> s.text().orElse("")).toList();
  }

  private static void assertSameContent(Sample expected, Sample actual) {
    assertEquals(expected.id(), actual.id());
    assertEquals(expected.text(), actual.text());
    assertEquals(expected.instruction(), actual.instruction());
    assertEquals(expected.answer(), actual.answer());
    assertEquals(expected.label(), actual.label());
    assertEquals(expected.options(), actual.options());
  }

  private static BufferedImage image(Sample sample) {
    return ((RenderedImage) sample.image().orElseThrow()).toBufferedImage();
  }

  private static int[] pixels(Sample sample) {
    BufferedImage image = image(sample);
    return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
  }
}
