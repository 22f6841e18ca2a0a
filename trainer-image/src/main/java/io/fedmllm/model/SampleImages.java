package io.fedmllm.model;

/**
 * One client's cache of its samples' images, decoded and preprocessed the way its {@link FoundationModel} needs them
 * (each model makes and reads its own kind); decoding a picture every epoch would be wasted work.
 */
public interface SampleImages {}
