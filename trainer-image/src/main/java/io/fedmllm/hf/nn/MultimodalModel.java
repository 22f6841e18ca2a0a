package io.fedmllm.hf.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import io.fedmllm.hf.HfCheckpoint;
import java.io.IOException;

/**
 * A SmolVLM / LLaVA checkpoint's forward pass: vision tower, connector, and the decoder over the token embeddings
 * with the image features written, in order, into the positions of {@code image_token_id}. The loaded weights are the
 * frozen base; {@link #withAdapters} gives a view of the same arrays with LoRA adapters on decoder layers, so one base
 * serves every client.
 */
public final class MultimodalModel {

  private final VisionTower vision;
  private final ImageConnector connector;
  private final LlamaDecoder decoder;
  private final int imageTokenId;
  private final LoraAdapters adapters;

  private MultimodalModel(VisionTower vision, ImageConnector connector, LlamaDecoder decoder, int imageTokenId,
      LoraAdapters adapters) {
    this.vision = vision;
    this.connector = connector;
    this.decoder = decoder;
    this.imageTokenId = imageTokenId;
    this.adapters = adapters;
  }

  /** Loads every part of a verified checkpoint into {@code manager}, as float32. */
  public static MultimodalModel load(HfCheckpoint checkpoint, NDManager manager) throws IOException {
    return load(checkpoint, manager, DataType.FLOAT32);
  }

  /**
   * Loads every part of a verified checkpoint into {@code manager} with its weights in {@code weights} (float32 or
   * float16); logits are float32 either way.
   */
  public static MultimodalModel load(HfCheckpoint checkpoint, NDManager manager, DataType weights)
      throws IOException {
    CheckpointArrays arrays = new CheckpointArrays(checkpoint, manager, weights);
    return new MultimodalModel(VisionTower.load(arrays, checkpoint.config().vision()),
        ImageConnector.load(arrays, checkpoint.config()), LlamaDecoder.load(arrays, checkpoint.config().text()),
        checkpoint.config().imageTokenId(), LoraAdapters.NONE);
  }

  /** As {@link #load(HfCheckpoint, NDManager)}, with LoRA adapters on decoder linear layers. */
  public static MultimodalModel load(HfCheckpoint checkpoint, NDManager manager, LoraAdapters adapters)
      throws IOException {
    return load(checkpoint, manager).withAdapters(adapters);
  }

  /** The same base weights with {@code adapters} (checked against the decoder's modules) instead of the current. */
  public MultimodalModel withAdapters(LoraAdapters newAdapters) {
    newAdapters.requireModules(decoder.adaptableModules());
    return new MultimodalModel(vision, connector, decoder, imageTokenId, newAdapters);
  }

  public LlamaDecoder decoder() {
    return decoder;
  }

  public int imageTokenId() {
    return imageTokenId;
  }

  /**
   * Logits [S, vocab] of one sequence of token ids [S] (int64) with its images' pixel values [N, C, H, W] (N may be
   * 0 or pixels null for text only). The number of image tokens must equal the image feature rows.
   */
  public NDArray logits(NDArray ids, NDArray pixels) {
    return batchLogits(ids.expandDims(0), pixels).squeeze(0);
  }

  /**
   * Logits [B, S, vocab] of right-padded token ids [B, S] (int64) with the pixel values [N, C, H, W] of all their
   * images in order (null when no sequence has one): the feature rows fill the image-token positions row by row.
   */
  public NDArray batchLogits(NDArray ids, NDArray pixels) {
    return decoder.head(batchHiddenStates(ids, pixels));
  }

  /** As {@link #batchLogits}, the final hidden states [B, S, hidden] before the output head. */
  public NDArray batchHiddenStates(NDArray ids, NDArray pixels) {
    return batchHiddenStates(ids, ids.toLongArray(), pixels);
  }

  /**
   * As {@link #batchHiddenStates(NDArray, NDArray)}, given the ids' values as well ({@code tokens}, row-major), so the
   * image positions are found without reading the ids back from the device (a synchronising copy on a GPU).
   */
  public NDArray batchHiddenStates(NDArray ids, long[] tokens, NDArray pixels) {
    long batch = ids.getShape().get(0);
    long seq = ids.getShape().get(1);
    if (tokens.length != batch * seq) {
      throw new IllegalArgumentException(tokens.length + " token values for ids of shape " + ids.getShape());
    }
    NDArray embeddings = decoder.embed(ids);
    int imagePositions = 0;
    for (long t : tokens) {
      imagePositions += t == imageTokenId ? 1 : 0;
    }
    long rows = 0;
    if (pixels != null && pixels.getShape().get(0) > 0) {
      NDArray features = imageFeatures(pixels);
      rows = features.getShape().get(0);
      if (rows == imagePositions) {
        long hidden = embeddings.getShape().get(2);
        embeddings = merge(embeddings.reshape(batch * seq, hidden), features, tokens).reshape(batch, seq, hidden);
      }
    }
    if (rows != imagePositions) {
      throw new IllegalArgumentException("the prompt has " + imagePositions + " image tokens (id " + imageTokenId
          + ") but the images give " + rows + " feature rows");
    }
    return decoder.hiddenStates(embeddings, adapters);
  }

  /**
   * Feature rows [N * tokens, hidden] of the images. The tower and connector are frozen and carry no adapter, so
   * nothing of them is needed for a backward pass: their intermediates (attention scores of every patch, MLP
   * activations) are freed as soon as the features exist, not kept until the training step ends.
   */
  private NDArray imageFeatures(NDArray pixels) {
    NDArray features;
    try (NDScope scope = new NDScope()) {
      features = connector.features(vision, pixels);
      features = features.reshape(-1, features.getShape().get(2)).stopGradient();
      NDScope.unregister(features);
    }
    NDScope.register(features); // to the caller's scope (a training step's), which closes it with the step
    return features;
  }

  /**
   * Embeddings [S, H] with row i replaced by the next feature row wherever token i is the image token: one gather
   * from [embeddings; features], so gradients reach both.
   */
  private NDArray merge(NDArray embeddings, NDArray features, long[] tokens) {
    long[] rows = new long[tokens.length];
    long next = tokens.length;
    for (int i = 0; i < tokens.length; i++) {
      rows[i] = tokens[i] == imageTokenId ? next++ : i;
    }
    NDArray source = embeddings.concat(features, 0);
    NDArray index = embeddings.getManager().create(rows);
    return Embedding.embedding(index, source, SparseFormat.DENSE).head();
  }
}
