package io.fedmllm.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.hf.image.ImageProcessor;
import io.fedmllm.hf.image.ProcessedImage;
import io.fedmllm.hf.image.RgbImage;
import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The Java image processor against the pixel values transformers' PIL-backend processors computed from the same
 * image.png: CLIP (bicubic shortest edge + center crop), SigLIP (bicubic fixed size), SmolVLM (LANCZOS longest edge,
 * one square tile, or 2x2 tiles plus the global view), on image.png and on generate.py's PROCESSOR_CASES.
 */
class ImageProcessorTest {

  static final double PIXEL_BOUND = 1e-5;

  static java.util.List<String> variants() {
    return Goldens.VARIANTS;
  }

  @ParameterizedTest
  @MethodSource("variants")
  void pixelValuesEqualTransformers(String variant) throws IOException {
    ImageProcessor processor = new ImageProcessor(ImageProcessorConfig.read(Goldens.checkpoint(variant)));
    ProcessedImage image = processor.process(RgbImage.read(Goldens.root().resolve(variant).resolve("image.png")));
    double max = maxAbsDiff(variant, Goldens.tensors(variant).get("mm.pixel_values"), image);
    assertTrue(max <= PIXEL_BOUND, variant + ": pixel values differ by " + max);
  }

  @ParameterizedTest
  @MethodSource("io.fedmllm.hf.ProcessorCases#all")
  void otherShapesEqualTransformers(String variant, String picture) throws IOException {
    ImageProcessor processor = new ImageProcessor(ImageProcessorConfig.read(Goldens.checkpoint(variant)));
    ProcessedImage image = processor.process(ProcessorCases.image(picture));
    TensorMap cases = ProcessorCases.tensors(variant);
    double max = maxAbsDiff(variant + " " + picture, cases.get(picture + ".pixel_values"), image);
    float[] grid = cases.get(picture + ".grid").data();
    assertEquals((int) grid[0], image.rows(), variant + " " + picture + " rows");
    assertEquals((int) grid[1], image.cols(), variant + " " + picture + " cols");
    assertTrue(max <= PIXEL_BOUND, variant + " " + picture + ": pixel values differ by " + max);
  }

  private static double maxAbsDiff(String what, Tensor golden, ProcessedImage image) {
    long[] shape = golden.shape();
    long[] expected = shape.length == 5 ? new long[] {shape[1], shape[2], shape[3], shape[4]} : shape;
    assertArrayEquals(expected, image.shape(), what + " pixel_values shape");
    double max = 0;
    for (int i = 0; i < golden.data().length; i++) {
      max = Math.max(max, Math.abs(golden.data()[i] - image.pixelValues()[i]));
    }
    System.out.printf("%s: pixel_values %s max abs diff %.3g%n", what, java.util.Arrays.toString(expected), max);
    return max;
  }

  @Test
  void splittingReportsTheTileGrid() throws IOException {
    ImageProcessor processor = new ImageProcessor(ImageProcessorConfig.read(Goldens.checkpoint("smolvlm-split")));
    ProcessedImage image = processor.process(
        RgbImage.read(Goldens.root().resolve("smolvlm-split").resolve("image.png")));
    assertEquals(2, image.rows());
    assertEquals(2, image.cols());
    assertEquals(5, image.tiles());
  }

  @Test
  void hubLayoutReadsPreprocessorConfig(@TempDir Path tmp) throws IOException {
    Path dir = Goldens.copy("llava-clip-llama", tmp.resolve("ckpt"));
    var processor = (com.fasterxml.jackson.databind.node.ObjectNode)
        Goldens.JSON.readTree(dir.resolve("processor_config.json").toFile());
    Goldens.JSON.writeValue(dir.resolve("preprocessor_config.json").toFile(), processor.remove("image_processor"));
    Goldens.JSON.writeValue(dir.resolve("processor_config.json").toFile(), processor);
    ImageProcessorConfig hub = ImageProcessorConfig.read(dir);
    ImageProcessorConfig saved = ImageProcessorConfig.read(Goldens.checkpoint("llava-clip-llama"));
    assertTrue(hub.source().endsWith("preprocessor_config.json"), hub.source());
    assertEquals(saved.tokens(), hub.tokens());
    assertEquals(saved.shortestEdge(), hub.shortestEdge());
    assertEquals(saved.mean(), hub.mean());
  }

  @Test
  void missingProcessorFilesNameThem(@TempDir Path tmp) throws IOException {
    Path dir = Goldens.copy("smolvlm", tmp.resolve("ckpt"));
    Files.delete(dir.resolve("processor_config.json"));
    CheckpointException e = assertThrows(CheckpointException.class, () -> ImageProcessorConfig.read(dir));
    assertTrue(e.getMessage().contains("preprocessor_config.json") && e.getMessage().contains(dir.toString()),
        e.getMessage());
  }

  @Test
  void badKeysNameFileAndKey(@TempDir Path tmp) throws IOException {
    Path dir = Goldens.copy("llava-siglip-qwen2", tmp.resolve("ckpt"));
    Path file = dir.resolve("processor_config.json");
    Files.writeString(file, Files.readString(file).replace("\"image_std\"", "\"image_sd\""));
    CheckpointException e = assertThrows(CheckpointException.class, () -> ImageProcessorConfig.read(dir));
    assertEquals(file + ": image_processor.image_std missing", e.getMessage());
  }
}
