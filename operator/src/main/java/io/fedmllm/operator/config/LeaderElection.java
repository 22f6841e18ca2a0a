package io.fedmllm.operator.config;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Leader election among the operator's replicas: the one holding the Lease reconciles, the others keep their informer
 * caches warm (and report ready) until they acquire it. QOSDK uses the {@link LeaderElectionConfiguration} bean only in
 * the profiles of {@code quarkus.operator-sdk.activate-leader-election-for-profiles} (prod). A replica that loses the
 * Lease exits, so two never reconcile at once; a standby takes over when the Lease expires (fabric8's elector is meant
 * to release it when a leader stops, but in HelmChartIT the 7.5.2 one never did). At start-up JOSDK checks
 * (SelfSubjectRulesReview) that it may get, create and update Leases in the lease namespace and refuses to start
 * otherwise; fabric8's LeaseLock renews with patch.
 */
@ApplicationScoped
public class LeaderElection {

  private static final Logger LOG = Logger.getLogger(LeaderElection.class);

  /** {@code fedmllm.operator.leader-election.*} (env FEDMLLM_OPERATOR_LEADER_ELECTION_*). */
  @ConfigMapping(prefix = "fedmllm.operator.leader-election")
  public interface Settings {

    /**
     * On in the chart (leaderElection.enabled, default true, which also grants the Lease permissions); off by default
     * here, so the application started without the chart needs no Lease RBAC. Off, every replica reconciles: run
     * exactly one.
     */
    @WithDefault("false")
    boolean enabled();

    /** The Lease's name; the chart sets its release's full name, so two releases in one namespace do not share it. */
    @WithDefault("fedmllm-operator")
    String leaseName();

    /** The Lease's namespace (the operator's own, KUBERNETES_NAMESPACE); empty: the client's namespace. */
    Optional<String> leaseNamespace();

    /** This replica's name in the Lease (the chart sets the pod name); empty: HOSTNAME, else a random UUID. */
    Optional<String> identity();

    /** How long a Lease stays valid without renewal: the longest a dead leader blocks its successor. */
    @WithDefault("15s")
    Duration leaseDuration();

    /** How long the leader keeps retrying a renewal before it gives up (and exits). */
    @WithDefault("10s")
    Duration renewDeadline();

    /** Wait between attempts to acquire or renew. */
    @WithDefault("2s")
    Duration retryPeriod();
  }

  /** The configuration QOSDK looks up; {@code null} (no leader election) when disabled. */
  @Produces
  @Dependent
  LeaderElectionConfiguration leaderElectionConfiguration(Settings settings) {
    return of(settings, LeaderElection::exitInItsOwnThread);
  }

  /**
   * The JOSDK configuration for these settings ({@code null} when disabled); {@code onLostLease} runs when this
   * replica stops leading.
   *
   * <p>JOSDK's own exit on losing the Lease ({@code exitOnStopLeading}) is off, and {@code onLostLease} exits instead.
   * JOSDK 5.3.2 calls System.exit inside the elector's stop callback, which also runs on a normal shutdown (Quarkus'
   * shutdown hook stops the operator, which cancels the election), and System.exit inside a shutdown hook blocks
   * forever: the pod then hangs until its grace period ends and it is killed. (Its builder's build() even turns the
   * exit off by accident, fixed upstream by operator-framework/java-operator-sdk#3619; buildForTest(false) says the
   * same on purpose.)
   */
  static LeaderElectionConfiguration of(Settings settings, Runnable onLostLease) {
    if (!settings.enabled()) {
      return null;
    }
    LeaderElectionConfigurationBuilder builder = LeaderElectionConfigurationBuilder
        .aLeaderElectionConfiguration(settings.leaseName())
        .withLeaseDuration(settings.leaseDuration())
        .withRenewDeadline(settings.renewDeadline())
        .withRetryPeriod(settings.retryPeriod())
        .withLeaderCallbacks(new LeaderCallbacks(() -> { }, onLostLease, newLeader -> { }));
    settings.leaseNamespace().ifPresent(builder::withLeaseNamespace);
    settings.identity().ifPresent(builder::withIdentity);
    return builder.buildForTest(false);
  }

  /**
   * Ends a replica that lost the Lease, so it never reconciles next to the new leader; the Deployment restarts it as
   * a standby. From a thread of its own: the elector calls back while holding its lock, which the shutdown then needs;
   * and during a normal shutdown this call just waits for the JVM to finish.
   */
  private static void exitInItsOwnThread() {
    LOG.warn("This replica stopped leading: exiting so that only the new leader reconciles");
    Thread exit = new Thread(() -> System.exit(1), "fedmllm-lost-lease-exit");
    exit.start();
  }
}
