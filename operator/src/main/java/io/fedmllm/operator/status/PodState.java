package io.fedmllm.operator.status;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Optional;

/**
 * What the operator observed of one pod: its phase (absent when there is none), uid, and why it failed.
 *
 * @param message the terminated container's reason and exit code, or the pod's message; empty otherwise
 */
public record PodState(Phase phase, String uid, String message) {

  /** A pod's lifecycle, folded to what the status needs. */
  public enum Phase {
    ABSENT,
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    TERMINATING
  }

  public static final PodState ABSENT = new PodState(Phase.ABSENT, null, "");

  /** The state of {@code pod}, or {@link #ABSENT}. */
  public static PodState of(Optional<Pod> pod) {
    if (pod.isEmpty()) {
      return ABSENT;
    }
    Pod p = pod.get();
    String uid = p.getMetadata().getUid();
    if (p.getMetadata().getDeletionTimestamp() != null) {
      return new PodState(Phase.TERMINATING, uid, "");
    }
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    if (phase == null) {
      return new PodState(Phase.PENDING, uid, "");
    }
    return switch (phase) {
      case "Running" -> new PodState(Phase.RUNNING, uid, "");
      case "Succeeded" -> new PodState(Phase.SUCCEEDED, uid, "");
      case "Failed" -> new PodState(Phase.FAILED, uid, failureMessage(p));
      default -> new PodState(Phase.PENDING, uid, p.getStatus().getMessage() == null ? "" : p.getStatus().getMessage());
    };
  }

  private static String failureMessage(Pod pod) {
    if (pod.getStatus().getContainerStatuses() != null) {
      for (ContainerStatus s : pod.getStatus().getContainerStatuses()) {
        if (s.getState() != null && s.getState().getTerminated() != null) {
          var t = s.getState().getTerminated();
          return "container " + s.getName() + " exited with code " + t.getExitCode()
              + (t.getReason() == null ? "" : " (" + t.getReason() + ")");
        }
      }
    }
    return pod.getStatus().getMessage() == null ? "pod failed" : pod.getStatus().getMessage();
  }
}
