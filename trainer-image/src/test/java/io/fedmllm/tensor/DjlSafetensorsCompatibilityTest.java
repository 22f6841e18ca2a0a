package io.fedmllm.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Our codec against DJL's own safetensors support ({@link NDList.Encoding#SAFETENSORS}), in both directions. */
class DjlSafetensorsCompatibilityTest {

  private static final TensorMap SAMPLE = TensorMap.builder()
      .put("layers.0.q.lora_A.weight", new Tensor(new long[] {2, 3}, new float[] {1f, -2f, 3.5f, 0f, 1e-8f, -0f}))
      .put("layers.0.q.lora_B.weight", new Tensor(new long[] {3, 2}, new float[] {6, 5, 4, 3, 2, 1}))
      .put("scalar", new Tensor(new long[] {1}, new float[] {Float.MAX_VALUE}))
      .build();

  @Test
  void djlReadsWhatWeWrite() throws Exception {
    byte[] bytes = Safetensors.encode(SAMPLE, Map.of("format", "pt"));
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDList list = NDList.decode(manager, bytes);
      assertEquals(SAMPLE.size(), list.size());
      for (Map.Entry<String, Tensor> e : SAMPLE) {
        NDArray array = list.get(e.getKey());
        assertEquals(new Shape(e.getValue().shape()), array.getShape(), e.getKey());
        assertArrayEquals(e.getValue().data(), array.toFloatArray(), e.getKey());
      }
    }
  }

  @Test
  void weReadWhatDjlWrites() throws Exception {
    byte[] bytes;
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDList list = new NDList();
      for (Map.Entry<String, Tensor> e : SAMPLE) {
        NDArray array = manager.create(e.getValue().data(), new Shape(e.getValue().shape()));
        array.setName(e.getKey());
        list.add(array);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      list.encode(out, NDList.Encoding.SAFETENSORS);
      bytes = out.toByteArray();
    }
    assertEquals(SAMPLE, Safetensors.decode(bytes, "djl").tensors());
  }
}
