package io.fedmllm.data.synthetic;

import java.util.List;

/**
 * Everything needed to render one synthetic picture deterministically: the backdrop, the objects in drawing order,
 * and the seed of the pixel noise.
 */
record Scene(Backdrop backdrop, List<Sprite> sprites, long noiseSeed) {

  Scene {
    sprites = List.copyOf(sprites);
  }
}
