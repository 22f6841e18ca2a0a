package io.fedmllm.tensor;

/** A tensor together with its name, as yielded one at a time by {@link SafetensorsReader}. */
public record NamedTensor(String name, Tensor tensor) {}
