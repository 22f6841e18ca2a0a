/**
 * The records the aggregator writes to a federation's storage and the operator reads back: {@code status.json}
 * ({@link io.fedmllm.api.progress.FederationProgress}) and each round's {@code round.json}
 * ({@link io.fedmllm.api.progress.RoundManifest}), defined once for both. Unknown fields are ignored and absent lists
 * read as empty, so an operator reads what a newer or older aggregator wrote.
 */
package io.fedmllm.api.progress;
