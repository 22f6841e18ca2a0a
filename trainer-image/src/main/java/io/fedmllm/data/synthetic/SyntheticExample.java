package io.fedmllm.data.synthetic;

import io.fedmllm.data.Sample;

/**
 * A generated labelled sample together with what each modality shows, for measuring how much accuracy each modality
 * alone can reach.
 *
 * <p>The keys hold the label-relevant attributes each modality shows. Everything else in a picture or text (shape kind,
 * position, stripes, trees, sentence templates, pixel noise) is drawn independently of the label, so it cannot change
 * the Bayes-optimal accuracy; leaving it out only keeps the measurement from being diluted by unseen combinations.
 *
 * @param sample the sample as a client sees it
 * @param imageKey the label-relevant attributes of the picture, plus the question when it varies
 * @param textKey the label-relevant attributes of the text, plus the question when it varies
 */
record SyntheticExample(Sample sample, String imageKey, String textKey) {}
