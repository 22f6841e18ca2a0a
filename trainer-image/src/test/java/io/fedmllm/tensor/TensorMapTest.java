package io.fedmllm.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class TensorMapTest {

  private static Tensor t(long... shape) {
    return Tensor.zeros(shape);
  }

  @Test
  void iteratesInNameOrderWhateverTheInsertionOrder() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("b", t(1));
    m.put("a.2", t(2));
    m.put("a.10", t(3));
    assertEquals(List.of("a.10", "a.2", "b"), TensorMap.of(m).names());
    assertEquals(6, TensorMap.of(m).elementCount());
    assertEquals(24, TensorMap.of(m).byteSize());
  }

  @Test
  void layoutMismatchNamesTheTensor() {
    TensorMap ref = TensorMap.builder().put("a", t(2, 3)).put("b", t(4)).build();
    assertTrue(ref.sameLayout(ref.filledLike(1f)));
    assertEquals("missing tensor 'b'",
        ref.layoutMismatch(TensorMap.builder().put("a", t(2, 3)).build()).orElseThrow());
    assertEquals("unexpected tensor 'c'", ref.layoutMismatch(
        TensorMap.builder().put("a", t(2, 3)).put("b", t(4)).put("c", t(1)).build()).orElseThrow());
    assertEquals("tensor 'a' has shape [3, 2], expected [2, 3]",
        ref.layoutMismatch(TensorMap.builder().put("a", t(3, 2)).put("b", t(4)).build()).orElseThrow());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ref.requireSameLayout(TensorMap.empty(), "global"));
    assertEquals("global: missing tensor 'a'", e.getMessage());
  }

  @Test
  void rejectsDuplicatesAndEmptyNames() {
    assertThrows(IllegalArgumentException.class, () -> TensorMap.builder().put("a", t(1)).put("a", t(1)));
    assertThrows(IllegalArgumentException.class, () -> TensorMap.builder().put("", t(1)));
    assertThrows(NoSuchElementException.class, () -> TensorMap.empty().get("x"));
  }

  @Test
  void prefixHelpersRoundTrip() {
    TensorMap m = TensorMap.builder().put("a", t(1)).put("b", t(2)).build();
    TensorMap prefixed = m.rename(n -> "m/" + n);
    assertEquals(List.of("m/a", "m/b"), prefixed.names());
    assertEquals(m, prefixed.withPrefixRemoved("m/"));
  }

  @Test
  void copyIsDeep() {
    TensorMap m = TensorMap.builder().put("a", new Tensor(new long[] {1}, new float[] {1f})).build();
    TensorMap c = m.copy();
    c.get("a").data()[0] = 5f;
    assertEquals(1f, m.get("a").data()[0]);
  }
}
