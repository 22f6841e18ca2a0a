package io.fedmllm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PromptsTest {

  private static final ImageSource IMAGE = RenderedImage.of("x", new java.awt.image.BufferedImage(2, 2, 1));

  private static Sample meme() {
    return Sample.multipleChoice(
        "1", Optional.of(IMAGE), Optional.of("hello"), Prompts.question(Task.HATEFUL),
        Task.HATEFUL.labels(), Optional.of(1));
  }

  @Test
  void defaultInstructionNamesTheModalitiesAndListsTheOptions() {
    assertEquals(
        "Look at the image and read the text. Is this meme hateful? Options: (A) not-hateful (B) hateful",
        Prompts.classification(Task.HATEFUL, true, true));
    assertEquals(
        "Look at the image. Is this meme hateful? Options: (A) not-hateful (B) hateful",
        Prompts.classification(Task.HATEFUL, true, false));
    assertEquals(
        "Read the text. Is this meme hateful? Options: (A) not-hateful (B) hateful",
        Prompts.classification(Task.HATEFUL, false, true));
    assertTrue(Prompts.classification(Task.CRISIS, true, true).endsWith("(H) not_humanitarian"));
  }

  @Test
  void answerIsTheOptionTextOfTheLabel() {
    assertEquals("hateful", meme().answer());
  }

  @Test
  void modalityAgnosticRewriteUsesOneWordingWhateverTheModalities() {
    Sample both = Prompts.rewriteModalityAgnostic(meme());
    Sample textOnly = Prompts.rewriteModalityAgnostic(meme().withoutImage());
    assertEquals(
        "Select the best answer to the following multiple-choice question, without considering the modality."
            + " Is this meme hateful? Options: (A) not-hateful (B) hateful",
        both.instruction());
    assertEquals(both.instruction(), textOnly.instruction());
    assertEquals(both.instruction(), Prompts.rewriteModalityAgnostic(both).instruction(), "idempotent");
    assertEquals(meme().answer(), both.answer());
    assertEquals(meme().text(), both.text());
  }

  @Test
  void matchModalitiesRewordsAfterADropButLeavesTheAgnosticWording() {
    Sample imageOnly = Prompts.matchModalities(meme().withoutText());
    assertTrue(imageOnly.instruction().startsWith("Look at the image. Is this meme"), imageOnly.instruction());
    Sample agnostic = Prompts.rewriteModalityAgnostic(meme());
    assertEquals(agnostic.instruction(), Prompts.matchModalities(agnostic.withoutText()).instruction());
  }

  @Test
  void optionMarkersContinueWithNumbersPastZ() {
    assertEquals("A", Prompts.optionMarker(0));
    assertEquals("Z", Prompts.optionMarker(25));
    assertEquals("27", Prompts.optionMarker(26));
    assertEquals("Options: (A) yes (B) no", Prompts.optionList(List.of("yes", "no")));
  }
}
