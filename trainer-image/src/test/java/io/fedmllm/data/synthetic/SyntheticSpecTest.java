package io.fedmllm.data.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.data.Task;
import org.junit.jupiter.api.Test;

class SyntheticSpecTest {

  @Test
  void parsesTaskAndOptionalKeys() {
    assertEquals(new SyntheticSpec(Task.HATEFUL, 42, 32, 0), SyntheticSpec.parse("hateful"));
    assertEquals(new SyntheticSpec(Task.CRISIS, 7, 48, 800), SyntheticSpec.parse("crisis, seed=7,size=48,count=800"));
  }

  @Test
  void countDefaultsBySplit() {
    SyntheticSpec spec = SyntheticSpec.parse("vqa,count=0");
    assertEquals(SyntheticSpec.DEFAULT_TEST_COUNT, spec.generate(SyntheticSplit.TEST).size());
    assertEquals(12, SyntheticSpec.parse("vqa,count=12").generate(SyntheticSplit.fromName("train")).size());
  }

  @Test
  void rejectsUnknownTasksKeysAndNumbers() {
    assertMessage("memes", "unknown task 'memes'");
    assertMessage("crisis,colour=red", "unknown key 'colour'");
    assertMessage("crisis,seed=abc", "seed must be an integer");
    assertMessage("hateful,count=99999999999", "count is out of range (0 to 2147483647), found '99999999999'");
    assertMessage("crisis,seed", "expected key=value");
    assertMessage("crisis,size=4", "at least 8 pixels");
  }

  private static void assertMessage(String spec, String fragment) {
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class, () -> SyntheticSpec.parse(spec).generate(SyntheticSplit.POOL));
    assertTrue(error.getMessage().contains(fragment), error.getMessage());
  }
}
