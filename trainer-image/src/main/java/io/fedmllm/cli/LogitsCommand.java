package io.fedmllm.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.fedmllm.hf.HfCheckpoint;
import io.fedmllm.hf.HfProcessor;
import io.fedmllm.hf.image.RgbImage;
import io.fedmllm.hf.nn.LoraAdapters;
import io.fedmllm.hf.nn.MultimodalModel;
import io.fedmllm.tensor.Safetensors;
import io.fedmllm.tensor.Tensor;
import io.fedmllm.tensor.TensorMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The logits a Hugging Face checkpoint gives one user turn, for comparing our numbers with another stack: the
 * checkpoint's chat template renders the turn (the image, then the text) with the generation prompt, its processor
 * turns it into token ids and pixel values, and the model (optionally with a PEFT LoRA adapter) computes the logits
 * of every position. The output holds F32 tensors {@code input_ids} [S] and {@code logits} [S, vocab] and is written
 * only when everything succeeded, atomically.
 */
@Command(name = "logits", mixinStandardHelpOptions = true,
    description = "Write a Hugging Face checkpoint's logits for one chat turn (input_ids, logits) to a safetensors "
        + "file.")
final class LogitsCommand implements Callable<Integer> {

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "Checkpoint directory.")
  Path model;

  @Option(names = "--image", paramLabel = "IMG", description = "Picture of the turn (PNG, JPEG, BMP, GIF); "
      + "without it the turn is text only.")
  Path image;

  @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "Text of the turn.")
  String prompt;

  @Option(names = "--adapter", paramLabel = "DIR",
      description = "PEFT LoRA adapter directory (adapter_model.safetensors, adapter_config.json) for the checkpoint.")
  Path adapter;

  @Option(names = "--base-dtype", defaultValue = "float32", paramLabel = "float32|float16",
      description = "Element type of the frozen weights, as spec.model.baseDtype (default: ${DEFAULT-VALUE}).")
  String baseDtype;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output .safetensors file.")
  Path out;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    DataType weights = switch (baseDtype) {
      case "float32" -> DataType.FLOAT32;
      case "float16" -> DataType.FLOAT16;
      default -> throw new CommandLine.ParameterException(spec.commandLine(),
          "--base-dtype: " + baseDtype + " is not float32 or float16");
    };
    TensorMap result = compute(model, image, prompt, adapter, weights, spec.commandLine().getErr()::println);
    Safetensors.write(out, result);
    long[] shape = result.get("logits").shape();
    spec.commandLine().getOut().println("wrote " + out + ": input_ids [" + shape[0] + "], logits [" + shape[0] + ", "
        + shape[1] + "]" + (adapter == null ? "" : " with adapter " + adapter));
    return 0;
  }

  /** {@code input_ids} and {@code logits} of one turn; {@code report} receives the checkpoint's unused tensors. */
  static TensorMap compute(Path modelDir, Path imageFile, String text, Path adapterDir, DataType weights,
      Consumer<String> report) throws IOException {
    RgbImage picture = imageFile == null ? null : readImage(imageFile);
    try (HfCheckpoint checkpoint = HfCheckpoint.open(modelDir, report);
        HfProcessor processor = HfProcessor.read(modelDir);
        NDManager manager = NDManager.newBaseManager()) {
      HfProcessor.Inputs inputs = picture == null ? processor.textTurn(text) : processor.userTurn(picture, text);
      LoraAdapters adapters = adapterDir == null ? LoraAdapters.NONE
          : CheckpointAdapter.read(adapterDir, checkpoint).toArrays(manager);
      MultimodalModel model = MultimodalModel.load(checkpoint, manager, weights).withAdapters(adapters);
      NDArray ids = manager.create(inputs.inputIds());
      NDArray pixels = inputs.image() == null ? null
          : manager.create(inputs.image().pixelValues(), new Shape(inputs.image().shape()));
      NDArray logits;
      try {
        logits = model.logits(ids, pixels);
      } catch (IllegalArgumentException e) {
        throw new IOException(modelDir + ": " + e.getMessage(), e);
      }
      float[] idValues = new float[inputs.inputIds().length];
      for (int i = 0; i < idValues.length; i++) {
        idValues[i] = inputs.inputIds()[i];
      }
      return TensorMap.of(Map.of(
          "input_ids", new Tensor(new long[] {idValues.length}, idValues),
          "logits", new Tensor(logits.getShape().getShape(), logits.toFloatArray())));
    }
  }

  private static RgbImage readImage(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such image file");
    }
    return RgbImage.read(file);
  }
}
