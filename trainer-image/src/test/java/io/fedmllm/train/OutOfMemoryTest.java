package io.fedmllm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OutOfMemoryTest {

  @Test
  void theCpuAllocatorsRealErrorBecomesOneLineNamingTheBatchFields() {
    // a real allocation far beyond any machine's memory: libtorch's own error, as DJL passes it on
    EngineException real;
    try (NDManager manager = NDManager.newBaseManager()) {
      real = assertThrows(EngineException.class, () -> manager.zeros(new Shape(1L << 40, 1L << 8)));
    }
    String reason = OutOfMemory.explain(new RuntimeException("step failed", real), 8, 1).orElseThrow(
        () -> new AssertionError("not recognised: " + real.getMessage()));
    assertTrue(reason.startsWith("the configured micro-batch does not fit in memory: out of host memory"), reason);
    assertTrue(reason.contains("lower spec.training.batchSize (now 8) and raise spec.training.gradientAccumulation "
        + "(now 1) to keep the effective batch, e.g. 4 x 2"), reason);
    assertEquals(-1, reason.indexOf('\n'), reason);
  }

  @Test
  void cudaCachingAllocatorMessagesAreRecognised() {
    // the text torch 2.x raises (c10/cuda/CUDACachingAllocator.cpp), as it reaches Java through DJL
    String message = "CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 15.77 GiB of "
        + "which 1.02 GiB is free. Of the allocated memory 13.2 GiB is allocated by PyTorch\nException raised from "
        + "malloc at /pytorch/c10/cuda/CUDACachingAllocator.cpp:1369 (most recent call first):";
    String reason = OutOfMemory.explain(new EngineException(message), 1, 4).orElseThrow();
    assertTrue(reason.startsWith("the configured micro-batch does not fit in memory: CUDA out of memory (Tried to "
        + "allocate 2.00 GiB. GPU 0 has a total capacity of 15.77 GiB of which 1.02 GiB is free)"), reason);
    assertTrue(reason.contains("spec.training.batchSize is 1 already"), reason);
  }

  @Test
  void otherEngineErrorsAreNotOutOfMemory() {
    assertEquals(Optional.empty(), OutOfMemory.explain(
        new EngineException("The size of tensor a (4) must match the size of tensor b (5)"), 8, 1));
  }
}
