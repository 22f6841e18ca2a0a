package io.fedmllm.hf;

import io.fedmllm.hf.image.RgbImage;
import io.fedmllm.tensor.Safetensors;
import io.fedmllm.tensor.TensorMap;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.provider.Arguments;

/**
 * generate.py's PROCESSOR_CASES: extra pictures (portrait, landscape, wide) run through each variant's processor
 * alone; pixel values, prompt ids and tile grid in {@code <variant>/processor-cases.safetensors}.
 */
final class ProcessorCases {

  static final List<String> CASES = List.of("portrait", "landscape", "wide");

  private ProcessorCases() {}

  /** Every (variant, case) pair. */
  static List<Arguments> all() {
    List<Arguments> out = new ArrayList<>();
    for (String variant : Goldens.VARIANTS) {
      for (String c : CASES) {
        out.add(Arguments.of(variant, c));
      }
    }
    return out;
  }

  static RgbImage image(String name) throws IOException {
    return RgbImage.read(Goldens.root().resolve("processor-cases").resolve(name + ".png"));
  }

  static TensorMap tensors(String variant) throws IOException {
    return Safetensors.read(Goldens.root().resolve(variant).resolve("processor-cases.safetensors")).tensors();
  }
}
