package io.fedmllm.local;

/**
 * {@code run.json}, a run folder's own marker: which federation and manifest the folder belongs to and how its last
 * session ended. Written atomically when a session starts (RUNNING), when it is interrupted (INTERRUPTED, by the
 * SIGINT/SIGTERM handler) and when it ends (COMPLETED or FAILED). A SIGKILLed session cannot write: its folder stays
 * RUNNING with no process holding its lock, which {@link ResumableRuns} treats as interrupted.
 *
 * @param manifest the manifest's path as given on the command line of the session that wrote the record
 * @param roundsCommitted rounds committed in storage when the record was written
 * @param rounds the federation's total rounds
 */
public record RunRecord(String federation, String manifest, State state, int roundsCommitted, int rounds,
    long updatedEpochMillis) {

  /** How the folder's last session ended (RUNNING: it has not, or it was killed). */
  public enum State {
    RUNNING,
    INTERRUPTED,
    COMPLETED,
    FAILED;

    /** Whether a session in this state ended the federation (nothing left to resume). */
    public boolean ended() {
      return this == COMPLETED || this == FAILED;
    }
  }

  public RunRecord with(State next, int committed) {
    return new RunRecord(federation, manifest, next, committed, rounds, System.currentTimeMillis());
  }
}
