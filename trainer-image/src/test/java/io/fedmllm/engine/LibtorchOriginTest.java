package io.fedmllm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LibtorchOriginTest {

  private static final List<String> BUNDLED = List.of(
      "7f1c2a000000-7f1c2a200000 r--p 00000000 fd:01 123 /var/cache/fedmllm/engines/pytorch/2.7.1-cpu-linux-x86_64/libc10.so",
      "7f1c2b000000-7f1c2c000000 r-xp 00000000 fd:01 124 /var/cache/fedmllm/engines/pytorch/2.7.1-cpu-linux-x86_64/libtorch_cpu.so",
      "7f1c2d000000-7f1c2d100000 rw-p 00000000 00:00 0 ");
  private static final List<String> WHEEL = List.of(
      "7f1c2b000000-7f1c2c000000 r-xp 00000000 fd:01 124 /opt/torch/lib/python3.11/site-packages/torch/lib/libtorch_cpu.so",
      "7f1c2e000000-7f1c2e100000 r-xp 00000000 fd:01 125 /opt/torch/lib/python3.11/site-packages/torch/lib/libtorch_cuda.so");

  @Test
  void theMappedLibtorchCpuNamesTheDirectory() {
    LibtorchOrigin origin = LibtorchOrigin.fromMaps("2.7.1", BUNDLED, Optional.empty(), Optional.empty());
    assertEquals(Path.of("/var/cache/fedmllm/engines/pytorch/2.7.1-cpu-linux-x86_64"), origin.directory());
    assertFalse(origin.fromLibraryPath());
    assertEquals("engine: PyTorch 2.7.1, bundled CPU libtorch (/var/cache/fedmllm/engines/pytorch/"
        + "2.7.1-cpu-linux-x86_64)", origin.describe());
    origin.requireRequested();
  }

  @Test
  void aLibraryPathThatWasUsedIsReportedWithItsFlavor() {
    String dir = "/opt/torch/lib/python3.11/site-packages/torch/lib";
    LibtorchOrigin origin = LibtorchOrigin.fromMaps("2.7.1", WHEEL, Optional.of("/nowhere:" + dir + "/"),
        Optional.of("cu128"));
    assertTrue(origin.fromLibraryPath());
    assertEquals("engine: PyTorch 2.7.1, libtorch from PYTORCH_LIBRARY_PATH " + dir + " (flavor cu128)",
        origin.describe());
    origin.requireRequested();
  }

  @Test
  void aLibraryPathDjlFellBackFromIsRefusedNamingTheVariable() {
    LibtorchOrigin origin = LibtorchOrigin.fromMaps("2.7.1", BUNDLED, Optional.of("/opt/torch/lib"),
        Optional.of("cu128"));
    IllegalStateException e = assertThrows(IllegalStateException.class, origin::requireRequested);
    assertTrue(e.getMessage().startsWith("PYTORCH_LIBRARY_PATH=/opt/torch/lib holds no libtorch.so"),
        e.getMessage());
    assertTrue(e.getMessage().contains("fell back to /var/cache/fedmllm/engines/pytorch/2.7.1-cpu-linux-x86_64"),
        e.getMessage());
  }

  @Test
  void noMappedLibtorchIsAnError() {
    assertThrows(IllegalStateException.class,
        () -> LibtorchOrigin.fromMaps("2.7.1", List.of("00-01 r--p 0 0:0 0 /usr/lib/libc.so.6"), Optional.empty(),
            Optional.empty()));
  }
}
