package io.fedmllm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.util.Map;

/**
 * A DJL block of this model: parameters have fixed shapes from the {@link ModelConfig} (no shape inference), each
 * block knows the checkpoint name of its parameters, and its forward pass takes a {@link ForwardContext} that carries
 * the caller's LoRA weights.
 */
abstract class ModelBlock extends AbstractBlock {
  /** Key under which the {@link ForwardContext} travels in DJL's forward parameter list. */
  static final String CONTEXT = "fedmllm.context";

  protected Parameter parameter(String name, Parameter.Type type, Shape shape, Initializer init) {
    return addParameter(
        Parameter.builder().setName(name).setType(type).optShape(shape).optInitializer(init).build());
  }

  /** Runs the block on one input array. */
  abstract NDArray forward(ForwardContext ctx, NDArray input);

  /** Adds this block's parameters (and its children's) under their checkpoint names. */
  abstract void collectParameters(String prefix, Map<String, Parameter> out);

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    return new NDList(forward(context(params, inputs, training), inputs.singletonOrThrow()));
  }

  static ForwardContext context(PairList<String, Object> params, NDList inputs, boolean training) {
    Object ctx = params == null ? null : params.get(CONTEXT);
    if (ctx instanceof ForwardContext c) {
      return c;
    }
    return ForwardContext.inference(inputs.head().getManager(), null);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    for (Block child : getChildren().values()) {
      child.initialize(manager, dataType);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return inputShapes;
  }
}
