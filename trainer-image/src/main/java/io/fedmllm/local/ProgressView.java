package io.fedmllm.local;

import io.fedmllm.protocol.DeadlineExtension;
import io.fedmllm.protocol.FederationLayout;
import io.fedmllm.api.progress.FederationProgress;
import io.fedmllm.protocol.ManifestStore;
import io.fedmllm.api.progress.RoundManifest;
import io.fedmllm.protocol.RoundPlan;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;

/**
 * The terminal view of a running federation, built only from what is committed in storage (like any other reader):
 * a progress bar of the current round's arrived updates, and one table row per committed round.
 */
final class ProgressView {
  private static final int BAR = 24;

  private final ManifestStore store;
  private final FederationLayout layout;
  private final PrintStream out;
  private final boolean interactive;
  private volatile int printedRounds;
  private String lastBar = "";

  ProgressView(ManifestStore store, FederationLayout layout, PrintStream out, boolean interactive) {
    this.store = store;
    this.layout = layout;
    this.out = out;
    this.interactive = interactive;
  }

  void header(int totalRounds) {
    out.printf(Locale.ROOT, "%-7s %-9s %-8s %-9s %-10s %-9s %s%n",
        "round", "clients", "missing", "rejected", "mean_loss", "metric", "accuracy");
  }

  /** Prints rows for newly committed rounds and refreshes the progress bar of the round under way. */
  void refresh(int totalRounds) {
    Optional<FederationProgress> status = store.read(layout.status(), FederationProgress.class);
    if (status.isPresent()) {
      var history = status.get().history();
      while (printedRounds < history.size()) {
        clearBar();
        printRow(history.get(printedRounds));
        printedRounds++;
      }
    }
    if (printedRounds < totalRounds) {
      store.read(layout.plan(printedRounds), RoundPlan.class).ifPresent(this::bar);
    }
  }

  /** The rounds this view has seen committed (as of its last refresh). */
  int committedRounds() {
    return printedRounds;
  }

  void finish() {
    clearBar();
  }

  private void printRow(RoundManifest r) {
    out.printf(Locale.ROOT, "%-7s %-9s %-8d %-9d %-10.4f %-9s %s%n",
        (r.round() + 1), r.accepted().size() + "/" + r.sampled().size(), r.missing().size(), r.rejected().size(),
        r.meanLoss(),
        r.evaluation() == null ? "-" : String.format(Locale.ROOT, "%.4f", r.evaluation().metric()),
        r.evaluation() == null ? "-" : String.format(Locale.ROOT, "%.4f", r.evaluation().accuracy()));
  }

  private void bar(RoundPlan plan) {
    int arrived = 0;
    for (String client : plan.clients()) {
      if (store.exists(layout.updateManifest(plan.round(), client))) {
        arrived++;
      }
    }
    int filled = plan.clients().isEmpty() ? 0 : BAR * arrived / plan.clients().size();
    long deadline = store.read(layout.deadlineExtension(plan.round()), DeadlineExtension.class)
        .map(DeadlineExtension::deadlineEpochMillis).orElse(plan.deadlineEpochMillis());
    long left = Math.max(0, (deadline - System.currentTimeMillis()) / 1000);
    String bar = String.format(Locale.ROOT, "round %d [%s%s] %d/%d updates, deadline in %ds", plan.round() + 1,
        "#".repeat(filled), ".".repeat(BAR - filled), arrived, plan.clients().size(), left);
    if (interactive) {
      out.print("\r" + bar + " ".repeat(Math.max(0, lastBar.length() - bar.length())));
      out.flush();
      lastBar = bar;
    } else if (!bar.replaceAll("deadline in \\d+s", "").equals(lastBar.replaceAll("deadline in \\d+s", ""))) {
      out.println(bar);
      lastBar = bar;
    }
  }

  private void clearBar() {
    if (interactive && !lastBar.isEmpty()) {
      out.print("\r" + " ".repeat(lastBar.length()) + "\r");
      lastBar = "";
    }
  }
}
