package io.fedmllm.operator.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedmllm.api.progress.FederationProgress;
import io.fedmllm.api.progress.ProgressPhase;
import io.fedmllm.api.progress.RejectionReason;
import io.fedmllm.api.progress.RoundManifest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** status.json as the aggregator writes it, read with the shared records the way {@link S3ProgressSource} reads it. */
class StatusJsonReadingTest {

  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  @Test
  void aContinuedFederationReportsItsGenerationAndTheRaisedTotal() throws Exception {
    FederationProgress s = JSON.readValue("""
        {"phase": "RUNNING", "roundsCommitted": 3, "totalRounds": 4, "message": "round 2 committed",
         "zeroShot": null, "history": [], "updatedAtEpochMillis": 1700000000000, "generation": 1}
        """, FederationProgress.class);
    assertEquals(new FederationProgress(ProgressPhase.RUNNING, 3, 4, "round 2 committed", null, List.of(),
        1700000000000L, 1), s);
  }

  @Test
  void aStatusWrittenBeforeContinuationsExistedIsGenerationZero() throws Exception {
    FederationProgress s = JSON.readValue("""
        {"phase": "COMPLETED", "roundsCommitted": 2, "totalRounds": 2, "message": "completed 2 rounds",
         "history": [], "updatedAtEpochMillis": 1}
        """, FederationProgress.class);
    assertEquals(0, s.generation());
    assertEquals(2, s.totalRounds());
    assertTrue(s.completed());
  }

  @Test
  void fieldsANewerAggregatorAddsAreIgnoredAndAbsentListsReadEmpty() throws Exception {
    FederationProgress s = JSON.readValue("""
        {"phase": "RUNNING", "roundsCommitted": 1, "totalRounds": 3, "message": "round 0 committed",
         "zeroShot": {"metricName": "roc_auc", "metric": 0.5, "accuracy": 0.5, "samples": 10, "addedLater": 1},
         "poolPerRound": [["a", "b"]],
         "history": [{"round": 0, "sampled": ["a", "b"], "accepted": ["a"],
                      "rejected": [{"client": "b", "reason": "NAN_OR_INF", "message": "tensor x", "extra": true}],
                      "meanLoss": 0.4, "evaluation": {"metricName": "roc_auc", "metric": 0.7, "accuracy": 0.6,
                      "samples": 10}, "aggregationSeconds": 0.1, "roundSeconds": 2.0,
                      "global": {"key": "p/rounds/00000/global.safetensors", "sha256": "%s", "size": 42},
                      "serverState": null, "failedClients": []}],
         "updatedAtEpochMillis": 5, "generation": 0}
        """.formatted("ab".repeat(32)), FederationProgress.class);
    RoundManifest round = s.history().get(0);
    assertEquals(List.of(), round.missing());
    assertEquals(RejectionReason.NAN_OR_INF, round.rejected().get(0).reason());
    assertEquals(0.7, round.evaluation().metric());
    assertEquals(42, round.global().size());
  }
}
