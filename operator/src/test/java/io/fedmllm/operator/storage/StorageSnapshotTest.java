package io.fedmllm.operator.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** status.json as the aggregator writes it, read the way {@link S3ProgressSource} reads it. */
class StorageSnapshotTest {

  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  @Test
  void aContinuedFederationReportsItsGenerationAndTheRaisedTotal() throws Exception {
    StorageSnapshot s = JSON.readValue("""
        {"phase": "RUNNING", "roundsCommitted": 3, "totalRounds": 4, "message": "round 2 committed",
         "zeroShot": null, "history": [], "updatedAtEpochMillis": 1700000000000, "generation": 1}
        """, StorageSnapshot.class);
    assertEquals(new StorageSnapshot("RUNNING", 3, 4, "round 2 committed", java.util.List.of(), 1700000000000L, 1),
        s);
  }

  @Test
  void aStatusWrittenBeforeContinuationsExistedIsGenerationZero() throws Exception {
    StorageSnapshot s = JSON.readValue("""
        {"phase": "COMPLETED", "roundsCommitted": 2, "totalRounds": 2, "message": "completed 2 rounds",
         "history": [], "updatedAtEpochMillis": 1}
        """, StorageSnapshot.class);
    assertEquals(0, s.generation());
    assertEquals(2, s.totalRounds());
  }
}
