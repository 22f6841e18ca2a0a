package io.fedmllm.cli;

import io.fedmllm.data.Sample;
import io.fedmllm.model.BaseModel;
import io.fedmllm.model.EncodedSequence;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The typical shape of a training batch of {@code data}: the median over consecutive batches of the batch width
 * (its longest sequence's used text positions) and the median scored (answer) tokens per sequence. A peer
 * implementation of the step (tools/torch_peer) runs batches of this shape.
 */
record BatchShape(int textTokens, int scoredTokens) {

  static BatchShape of(BaseModel base, List<Sample> data, int batchSize) {
    List<Integer> widths = new ArrayList<>();
    List<Integer> scored = new ArrayList<>();
    for (int start = 0; start + batchSize <= data.size(); start += batchSize) {
      int width = 1;
      for (Sample s : data.subList(start, start + batchSize)) {
        EncodedSequence encoded = base.encoder().encode(s, s.answer());
        width = Math.max(width, encoded.usedLength());
        scored.add(encoded.answerTokens());
      }
      widths.add(width);
    }
    if (widths.isEmpty()) {
      throw new IllegalArgumentException("need at least " + batchSize + " samples for one batch, got " + data.size());
    }
    Collections.sort(widths);
    Collections.sort(scored);
    return new BatchShape(widths.get(widths.size() / 2), scored.get(scored.size() / 2));
  }
}
