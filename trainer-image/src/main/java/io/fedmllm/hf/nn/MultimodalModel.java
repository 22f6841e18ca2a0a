package io.fedmllm.hf.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import io.fedmllm.hf.HfCheckpoint;
import java.io.IOException;

/**
 * A SmolVLM / LLaVA checkpoint's forward pass: vision tower, connector, and the decoder over the token embeddings
 * with the image features written, in order, into the positions of {@code image_token_id}.
 */
public final class MultimodalModel {

  private final VisionTower vision;
  private final ImageConnector connector;
  private final LlamaDecoder decoder;
  private final int imageTokenId;

  private MultimodalModel(VisionTower vision, ImageConnector connector, LlamaDecoder decoder, int imageTokenId) {
    this.vision = vision;
    this.connector = connector;
    this.decoder = decoder;
    this.imageTokenId = imageTokenId;
  }

  /** Loads every part of a verified checkpoint into {@code manager}. */
  public static MultimodalModel load(HfCheckpoint checkpoint, NDManager manager) throws IOException {
    return load(checkpoint, manager, LoraAdapters.NONE);
  }

  /** As {@link #load(HfCheckpoint, NDManager)}, with LoRA adapters on decoder linear layers. */
  public static MultimodalModel load(HfCheckpoint checkpoint, NDManager manager, LoraAdapters adapters)
      throws IOException {
    CheckpointArrays arrays = new CheckpointArrays(checkpoint, manager);
    return new MultimodalModel(VisionTower.load(arrays, checkpoint.config().vision()),
        ImageConnector.load(arrays, checkpoint.config()),
        LlamaDecoder.load(arrays, checkpoint.config().text(), adapters), checkpoint.config().imageTokenId());
  }

  public LlamaDecoder decoder() {
    return decoder;
  }

  /**
   * Logits [S, vocab] of one sequence of token ids [S] (int64) with its images' pixel values [N, C, H, W] (N may be
   * 0 for text only). The number of image tokens must equal the image feature rows.
   */
  public NDArray logits(NDArray ids, NDArray pixels) {
    NDArray embeddings = decoder.embed(ids.expandDims(0)).squeeze(0);
    long[] tokens = ids.toLongArray();
    int imagePositions = 0;
    for (long t : tokens) {
      imagePositions += t == imageTokenId ? 1 : 0;
    }
    long rows = 0;
    if (pixels != null && pixels.getShape().get(0) > 0) {
      NDArray features = connector.features(vision, pixels);
      features = features.reshape(-1, features.getShape().get(2));
      rows = features.getShape().get(0);
      if (rows == imagePositions) {
        embeddings = merge(embeddings, features, tokens);
      }
    }
    if (rows != imagePositions) {
      throw new IllegalArgumentException("the prompt has " + imagePositions + " image tokens (id " + imageTokenId
          + ") but the images give " + rows + " feature rows");
    }
    return decoder.logits(embeddings.expandDims(0)).squeeze(0);
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
