package io.fedmllm.operator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LeaderElectionTest {

  private record Values(boolean enabled, String leaseName, Optional<String> leaseNamespace, Optional<String> identity,
      Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) implements LeaderElection.Settings {
  }

  @Test
  void carriesTheSettingsAndExitsOnLosingTheLease() {
    AtomicInteger exits = new AtomicInteger();
    LeaderElectionConfiguration c = LeaderElection.of(new Values(true, "fedmllm-operator",
        Optional.of("fedmllm-system"), Optional.of("fedmllm-operator-7d9f-abcde"), Duration.ofSeconds(15),
        Duration.ofSeconds(10), Duration.ofSeconds(2)), exits::incrementAndGet);
    assertEquals("fedmllm-operator", c.getLeaseName());
    assertEquals(Optional.of("fedmllm-system"), c.getLeaseNamespace());
    assertEquals(Optional.of("fedmllm-operator-7d9f-abcde"), c.getIdentity());
    assertEquals(Duration.ofSeconds(15), c.getLeaseDuration());
    assertEquals(Duration.ofSeconds(10), c.getRenewDeadline());
    assertEquals(Duration.ofSeconds(2), c.getRetryPeriod());
    // A replica that lost the Lease must stop, or it reconciles next to the new leader: through our callback, not
    // JOSDK's System.exit, which blocks forever when it runs inside the shutdown hook.
    assertFalse(c.isExitOnStopLeading());
    c.getLeaderCallbacks().orElseThrow().onStopLeading();
    assertEquals(1, exits.get());
  }

  @Test
  void leavesNamespaceAndIdentityToJosdkWhenUnset() {
    LeaderElectionConfiguration c = LeaderElection.of(new Values(true, "x", Optional.empty(), Optional.empty(),
        Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2)), () -> { });
    assertEquals(Optional.empty(), c.getLeaseNamespace());
    assertEquals(Optional.empty(), c.getIdentity());
  }

  @Test
  void disabledMeansNoConfiguration() {
    assertNull(LeaderElection.of(new Values(false, "x", Optional.empty(), Optional.empty(), Duration.ofSeconds(15),
        Duration.ofSeconds(10), Duration.ofSeconds(2)), () -> { }));
  }
}
