package io.fedmllm.engine;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where this process's libtorch was loaded from: the natives bundled in the {@code pytorch-native-cpu} jar (DJL
 * extracts them into its engine cache), or a pip-installed torch that {@code PYTORCH_LIBRARY_PATH} points DJL at (the
 * GPU image's {@code /opt/torch}). DJL falls back to the bundled CPU natives without a word when that variable names
 * a directory without {@code libtorch.so}, which on a GPU node means training on the CPU next to an idle GPU; so the
 * trainer checks the library it actually mapped and refuses such a fallback.
 *
 * <p>The evidence is the process's own memory map ({@code /proc/self/maps}), not DJL's internals: the directory of
 * the {@code libtorch_cpu.so} that is mapped.
 *
 * @param version the engine's PyTorch version
 * @param directory the directory holding the mapped {@code libtorch_cpu.so}
 * @param requested {@code PYTORCH_LIBRARY_PATH}, when set
 * @param flavor {@code PYTORCH_FLAVOR}, when set
 */
public record LibtorchOrigin(String version, Path directory, Optional<String> requested, Optional<String> flavor) {

  static final String LIBRARY_PATH = "PYTORCH_LIBRARY_PATH";
  static final String FLAVOR = "PYTORCH_FLAVOR";
  private static final String MARKER = "/libtorch_cpu.so";

  /** The origin of the libtorch the default engine loaded (loading it if it was not yet). */
  public static LibtorchOrigin ofThisProcess() {
    String version = Engine.getEngine("PyTorch").getVersion();
    List<String> maps;
    try {
      maps = Files.readAllLines(Path.of("/proc/self/maps"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/self/maps to tell where libtorch was loaded from", e);
    }
    return fromMaps(version, maps, Optional.ofNullable(System.getenv(LIBRARY_PATH)).filter(s -> !s.isBlank()),
        Optional.ofNullable(System.getenv(FLAVOR)).filter(s -> !s.isBlank()));
  }

  /**
   * The origin from a memory map's lines.
   *
   * @throws IllegalStateException when no {@code libtorch_cpu.so} is mapped
   */
  static LibtorchOrigin fromMaps(String version, List<String> maps, Optional<String> requested,
      Optional<String> flavor) {
    for (String line : maps) {
      int slash = line.indexOf('/');
      if (slash >= 0 && line.endsWith(MARKER)) {
        Path library = Path.of(line.substring(slash));
        return new LibtorchOrigin(version, library.getParent(), requested, flavor);
      }
    }
    throw new IllegalStateException("no libtorch_cpu.so is mapped into this process: the PyTorch engine did not load");
  }

  /** Whether the library came from a directory {@code PYTORCH_LIBRARY_PATH} lists. */
  public boolean fromLibraryPath() {
    if (requested.isEmpty()) {
      return false;
    }
    Path dir = normal(directory);
    for (String entry : requested.get().split(java.io.File.pathSeparator)) {
      if (!entry.isBlank() && normal(Path.of(entry)).equals(dir)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Fails when {@code PYTORCH_LIBRARY_PATH} is set but DJL loaded libtorch from elsewhere (it held no
   * {@code libtorch.so}), naming the variable and what was loaded instead.
   */
  public LibtorchOrigin requireRequested() {
    if (requested.isPresent() && !fromLibraryPath()) {
      throw new IllegalStateException(LIBRARY_PATH + "=" + requested.get() + " holds no libtorch.so that DJL could "
          + "load, so it fell back to " + directory + "; point it at the torch/lib directory of a pip-installed "
          + "torch " + version + " (the GPU image's /opt/torch/.../torch/lib) or unset it");
    }
    return this;
  }

  /** The log line, e.g. {@code engine: PyTorch 2.7.1, libtorch from PYTORCH_LIBRARY_PATH /opt/torch/lib (cu128)}. */
  public String describe() {
    if (fromLibraryPath()) {
      return String.format(Locale.ROOT, "engine: PyTorch %s, libtorch from %s %s (flavor %s)", version, LIBRARY_PATH,
          directory, flavor.orElse("unset"));
    }
    return String.format(Locale.ROOT, "engine: PyTorch %s, bundled CPU libtorch (%s)", version, directory);
  }

  private static Path normal(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    try {
      return absolute.toRealPath();
    } catch (IOException e) {
      return absolute;
    }
  }
}
