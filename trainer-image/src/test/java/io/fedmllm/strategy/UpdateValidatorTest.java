package io.fedmllm.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.api.progress.RejectionReason;
import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UpdateValidatorTest {

  private static final TensorMap GLOBAL = TensorMap.builder()
      .put("x.lora_A", Tensor.zeros(2, 3))
      .put("x.lora_B", Tensor.zeros(3, 2))
      .build();
  private final UpdateValidator validator = new UpdateValidator(GLOBAL, false);

  private static TensorMap withValue(String name, int index, float value) {
    TensorMap copy = GLOBAL.copy();
    copy.get(name).data()[index] = value;
    return copy;
  }

  private Rejection reject(TensorMap weights) {
    Optional<Rejection> r = validator.check(ClientUpdate.of("client-7", weights, 10));
    assertTrue(r.isPresent(), "expected a rejection");
    assertTrue(r.get().message().contains("client-7"), r.get().message());
    return r.get();
  }

  @Test
  void acceptsAMatchingFiniteUpdate() {
    assertEquals(Optional.empty(), validator.check(ClientUpdate.of("c", withValue("x.lora_B", 5, 3e38f), 1)));
  }

  @Test
  void rejectsNanAndInfinityNamingTheTensor() {
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
      Rejection r = reject(withValue("x.lora_B", 4, bad));
      assertEquals(RejectionReason.NAN_OR_INF, r.reason());
      assertEquals("x.lora_B", r.tensor());
      assertTrue(r.message().contains("flat index 4"), r.message());
    }
  }

  @Test
  void rejectsUnknownTensor() {
    TensorMap extra = TensorMap.builder().putAll(GLOBAL).put("lm_head.weight", Tensor.zeros(1)).build();
    Rejection r = reject(extra);
    assertEquals(RejectionReason.UNKNOWN_TENSOR, r.reason());
    assertEquals("lm_head.weight", r.tensor());
  }

  @Test
  void rejectsMissingTensor() {
    Rejection r = reject(TensorMap.builder().put("x.lora_A", Tensor.zeros(2, 3)).build());
    assertEquals(RejectionReason.MISSING_TENSOR, r.reason());
    assertEquals("x.lora_B", r.tensor());
  }

  @Test
  void rejectsShapeMismatch() {
    Rejection r = reject(TensorMap.builder().put("x.lora_A", Tensor.zeros(3, 2)).put("x.lora_B", Tensor.zeros(3, 2))
        .build());
    assertEquals(RejectionReason.SHAPE_MISMATCH, r.reason());
    assertEquals("x.lora_A", r.tensor());
    assertTrue(r.message().contains("[3, 2], expected [2, 3]"), r.message());
  }

  @Test
  void rejectsNonPositiveSampleCount() {
    Rejection r = validator.check(ClientUpdate.of("c", GLOBAL, 0)).orElseThrow();
    assertEquals(RejectionReason.BAD_FORMAT, r.reason());
  }

  @Test
  void rejectedUpdateIsNeverAveragedIn() {
    ServerStrategy fedAvg = ServerStrategies.create("fedavg");
    TensorMap good = withValue("x.lora_A", 0, 2f);
    Aggregation clean = fedAvg.begin(GLOBAL, fedAvg.initialState(GLOBAL));
    clean.add(ClientUpdate.of("a", good, 1));
    TensorMap expected = clean.finish().global();

    Aggregation agg = fedAvg.begin(GLOBAL, fedAvg.initialState(GLOBAL));
    // NaN in the last tensor (name order): the first tensor must not have been summed either.
    UpdateRejectedException e = assertThrows(UpdateRejectedException.class,
        () -> agg.add(ClientUpdate.of("0-poisoned", withValue("x.lora_B", 5, Float.NaN), 1000)));
    assertEquals(RejectionReason.NAN_OR_INF, e.reason());
    assertEquals(0, agg.updateCount());
    agg.add(ClientUpdate.of("a", good, 1));
    assertEquals(expected, agg.finish().global());
  }
}
