package io.fedmllm.local;

import java.io.IOException;
import java.io.PrintStream;
import java.util.function.IntSupplier;

/**
 * What a session does when it is stopped by SIGINT (Ctrl-C) or SIGTERM: marks its folder INTERRUPTED in
 * {@code run.json}, silences the progress view, and prints one line saying where the run stopped and the command
 * that resumes it. The JVM then exits as for any such signal (130 for SIGINT). Committed rounds stay committed; the
 * round under way is redone when the run is resumed.
 */
final class Interruption implements AutoCloseable {
  private final RunFolder folder;
  private final RunRecord running;
  private final IntSupplier committedRounds;
  private final PrintStream out;
  private final Runnable silence;
  private final String resume;
  private final Thread hook;
  private boolean over;

  /**
   * @param committedRounds the rounds committed in storage now (asked once, when the signal arrives)
   * @param silence stops the progress view's output, so the line is the last one printed
   * @param resume the command that resumes the run
   */
  Interruption(RunFolder folder, RunRecord running, IntSupplier committedRounds, PrintStream out, Runnable silence,
      String resume) {
    this.folder = folder;
    this.running = running;
    this.committedRounds = committedRounds;
    this.out = out;
    this.silence = silence;
    this.resume = resume;
    this.hook = new Thread(this::interrupted, "fedmllm-local-interrupted");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** The line printed when the session is interrupted. */
  static String line(int committed, int rounds, RunFolder folder, String resume) {
    return "fedmllm: interrupted with " + committed + " of " + rounds + " rounds committed"
        + (committed < rounds ? " (round " + (committed + 1) + " is redone on resume)" : "") + "; run folder "
        + folder.path() + "; resume with: " + resume;
  }

  private void interrupted() {
    synchronized (this) {
      if (over) {
        return;
      }
      over = true;
    }
    silence.run();
    int committed;
    try {
      committed = committedRounds.getAsInt();
    } catch (RuntimeException storageGone) {
      committed = running.roundsCommitted();
    }
    try {
      folder.record(running.with(RunRecord.State.INTERRUPTED, committed));
    } catch (IOException e) {
      // the folder still says RUNNING, which is recognised as interrupted too
    }
    out.println(line(committed, running.rounds(), folder, resume));
    out.flush();
  }

  /** The session ended by itself: no interruption line from now on. */
  @Override
  public void close() {
    synchronized (this) {
      if (over) {
        return;
      }
      over = true;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is exiting anyway
    }
  }
}
