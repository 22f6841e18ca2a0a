package io.fedmllm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.data.Sample;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class PromptEncoderTest {
  private static final TextTokenizer TOKENIZER = TextTokenizer.builtIn();

  @AfterAll
  static void close() {
    TOKENIZER.close();
  }

  private static Sample sample(String text, String answer) {
    return new Sample("s1", Optional.empty(), Optional.ofNullable(text), "Is this meme hateful?",
        answer, Optional.of(1), List.of("not-hateful", "hateful"));
  }

  private static String decode(long[] ids, float[] mask) {
    long[] kept = java.util.stream.IntStream.range(0, ids.length).filter(i -> mask[i] > 0)
        .mapToLong(i -> ids[i]).toArray();
    return TOKENIZER.decode(kept);
  }

  @Test
  void onlyTheAnsweredOptionAndEosAreScored() {
    EncodedSequence e = new PromptEncoder(TOKENIZER, 128).encode(sample("they look lovely", "hateful"));
    assertEquals(TOKENIZER.bos(), e.tokens()[0]);
    String scored = decode(e.targets(), e.lossMask());
    assertEquals(" (B) hateful", scored, "scored completion is the marked option (EOS decodes to nothing)");
    int last = e.usedLength() - 1;
    assertEquals(TOKENIZER.eos(), e.tokens()[last]);
    assertEquals(0f, e.lossMask()[last], "nothing follows EOS");
    for (int i = 0; i + 1 < e.usedLength(); i++) {
      assertEquals(e.tokens()[i + 1], e.targets()[i], "targets are the next token");
    }
  }

  @Test
  void textIsPresentOnlyWhenTheSampleHasIt() {
    PromptEncoder encoder = new PromptEncoder(TOKENIZER, 128);
    String with = TOKENIZER.decode(encoder.encode(sample("they look lovely", "hateful")).tokens());
    String without = TOKENIZER.decode(encoder.encode(sample(null, "hateful")).tokens());
    assertTrue(with.startsWith("they look lovely\nIs this meme hateful?"), with);
    assertTrue(without.startsWith("Is this meme hateful?"), without);
  }

  @Test
  void longTextIsCutBeforeTheAnswer() {
    String longText = String.join(" ", java.util.Collections.nCopies(200, "word"));
    EncodedSequence e = new PromptEncoder(TOKENIZER, 40).encode(sample(longText, "not-hateful"));
    assertEquals(40, e.length());
    assertEquals(" (A) not-hateful", decode(e.targets(), e.lossMask()));
    assertTrue(TOKENIZER.decode(e.tokens()).contains("Answer:"));
  }

  @Test
  void answerThatCannotFitIsAnErrorNamingTheSample() {
    String huge = String.join(" ", java.util.Collections.nCopies(100, "answer"));
    Sample s = new Sample("big-1", Optional.empty(), Optional.empty(), "Q?", huge, Optional.empty(), List.of());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new PromptEncoder(TOKENIZER, 32).encode(s));
    assertTrue(e.getMessage().contains("big-1"), e.getMessage());
  }

  @Test
  void batchIsPaddedToItsLongestText() {
    PromptEncoder encoder = new PromptEncoder(TOKENIZER, 128);
    EncodedSequence a = encoder.encode(sample("short", "hateful"));
    EncodedSequence b = encoder.encode(sample("a somewhat longer text for this meme", "hateful"));
    Batch batch = Batch.of(List.of(a, b), Arrays.asList(null, null), 32);
    assertEquals(Math.max(a.usedLength(), b.usedLength()), batch.textLength());
    assertEquals(0f, batch.imagePresent()[0]);
  }
}
