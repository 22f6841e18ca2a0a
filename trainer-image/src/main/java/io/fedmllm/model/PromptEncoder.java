package io.fedmllm.model;

import io.fedmllm.data.Prompts;
import io.fedmllm.data.Sample;
import java.util.Arrays;

/**
 * Turns a sample's text side into model positions: {@code <s> [text \n] instruction \nAnswer: (X) answer </s>}. The
 * sample's own text (caption, tweet) is present only when the sample has it; the image travels separately. When the
 * whole does not fit, the sample text is cut first, then the oldest part of the instruction; the answer always fits.
 */
public final class PromptEncoder {
  private static final String ANSWER_CUE = "\nAnswer:";

  private final TextTokenizer tokenizer;
  private final int length;

  public PromptEncoder(TextTokenizer tokenizer, int maxTextTokens) {
    this.tokenizer = tokenizer;
    this.length = maxTextTokens;
  }

  /** Encodes the sample with its own answer as the target. */
  public EncodedSequence encode(Sample sample) {
    return encode(sample, sample.answer());
  }

  /** Encodes the sample with {@code answer} as the scored completion (used to score each option). */
  public EncodedSequence encode(Sample sample, String answer) {
    long[] text = sample.hasText() ? tokenizer.encode(sample.text().orElseThrow() + "\n") : new long[0];
    long[] instruction = tokenizer.encode(sample.instruction() + ANSWER_CUE);
    long[] completion = append(tokenizer.encode(" " + completion(sample, answer)), tokenizer.eos());
    int budget = length - 1 - completion.length;
    if (budget < 1) {
      throw new IllegalArgumentException(
          "sample " + sample.id() + ": answer '" + answer + "' needs " + completion.length
              + " tokens, more than the model's max_text_tokens " + length + " allows");
    }
    if (instruction.length > budget) {
      instruction = Arrays.copyOfRange(instruction, instruction.length - budget, instruction.length);
      text = new long[0];
    } else if (text.length + instruction.length > budget) {
      text = Arrays.copyOf(text, budget - instruction.length);
    }
    long[] tokens = new long[length];
    float[] textMask = new float[length];
    long[] targets = new long[length];
    float[] lossMask = new float[length];
    Arrays.fill(tokens, tokenizer.pad());
    Arrays.fill(targets, tokenizer.pad());
    int pos = 0;
    tokens[pos++] = tokenizer.bos();
    for (long t : text) {
      tokens[pos++] = t;
    }
    for (long t : instruction) {
      tokens[pos++] = t;
    }
    int answerStart = pos;
    for (long t : completion) {
      tokens[pos++] = t;
    }
    for (int i = 0; i < pos; i++) {
      textMask[i] = 1f;
      if (i + 1 < pos) {
        targets[i] = tokens[i + 1];
        lossMask[i] = i + 1 >= answerStart ? 1f : 0f;
      }
    }
    return new EncodedSequence(tokens, textMask, targets, lossMask);
  }

  /**
   * The scored completion for {@code answer}: for a multiple-choice sample the option with its marker, as LLaVA-style
   * models answer ("(B) hateful"), otherwise the answer text itself.
   */
  public static String completion(Sample sample, String answer) {
    String text = answer.strip();
    int index = sample.options().indexOf(text);
    return index < 0 ? text : "(" + Prompts.optionMarker(index) + ") " + text;
  }

  private static long[] append(long[] ids, long last) {
    long[] out = Arrays.copyOf(ids, ids.length + 1);
    out[ids.length] = last;
    return out;
  }
}
