package io.fedmllm.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The S3 client wrapper against a real S3Proxy on loopback: conditional writes, absence, retries, credentials. */
class EmbeddedObjectStoreIT {

  @TempDir static Path dir;
  private static EmbeddedObjectStore server;
  private static S3ObjectStore store;

  @BeforeAll
  static void start() throws Exception {
    server = EmbeddedObjectStore.start(dir.resolve("s3"), "fed", 0);
    store = server.connect(RetryPolicy.standard().withTotalBudget(Duration.ofSeconds(20)));
  }

  @AfterAll
  static void stop() {
    store.close();
    server.close();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void putGetExistsAndAbsence() {
    store.put("a/one", bytes("hello"));
    assertArrayEquals(bytes("hello"), store.get("a/one").orElseThrow());
    assertTrue(store.exists("a/one"));
    assertFalse(store.exists("a/none"));
    assertTrue(store.get("a/none").isEmpty());
  }

  @Test
  void secondWriterOfAManifestLosesCleanlyAndIdenticalRewriteIsIdempotent() {
    assertTrue(store.putIfAbsent("m/manifest.json", bytes("{\"v\":1}")));
    assertTrue(store.putIfAbsent("m/manifest.json", bytes("{\"v\":1}")), "a retry of the same bytes succeeds");
    assertFalse(store.putIfAbsent("m/manifest.json", bytes("{\"v\":2}")), "a different second writer loses");
    assertArrayEquals(bytes("{\"v\":1}"), store.get("m/manifest.json").orElseThrow());
  }

  @Test
  void deletePrefixRemovesOnlyThatPrefix() {
    store.put("del/x/1", bytes("1"));
    store.put("del/x/2", bytes("2"));
    store.put("del/y/1", bytes("3"));
    assertEquals(2, store.deletePrefix("del/x/"));
    assertFalse(store.exists("del/x/1"));
    assertTrue(store.exists("del/y/1"));
    assertThrows(IllegalArgumentException.class, () -> store.deletePrefix("del/y"));
  }

  @Test
  void callsOutlastAStorageRestart() throws Exception {
    server.stop();
    CompletableFuture<Void> restart = CompletableFuture.runAsync(() -> {
      try {
        Thread.sleep(2_000);
        server.start();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    long started = System.nanoTime();
    store.put("restart/after", bytes("still here"));
    restart.get();
    assertTrue((System.nanoTime() - started) / 1e9 >= 1.5, "the put waited for the restart");
    assertArrayEquals(bytes("still here"), store.get("restart/after").orElseThrow());
  }

  @Test
  void givesUpWithinItsBudgetWhenStorageStaysDown() throws Exception {
    try (S3ObjectStore impatient = server.connect(RetryPolicy.standard().withTotalBudget(Duration.ofSeconds(1)))) {
      server.stop();
      long started = System.nanoTime();
      StorageException e = assertThrows(StorageException.class, () -> impatient.get("anything"));
      double seconds = (System.nanoTime() - started) / 1e9;
      assertTrue(e.isTransient());
      assertTrue(seconds < 5, "bounded wait, took " + seconds + " s");
      assertTrue(e.getMessage().startsWith("storage get "), e.getMessage());
    } finally {
      server.start();
    }
  }

  @Test
  void wrongCredentialsFailAtOnceWithoutLeakingTheSecret() {
    try (S3ObjectStore wrong = S3ObjectStore.connect(server.settings(), RetryPolicy.standard(),
        StaticCredentialsProvider.create(AwsBasicCredentials.create("nobody", "not-the-secret")))) {
      long started = System.nanoTime();
      StorageException e = assertThrows(StorageException.class, () -> wrong.put("x", bytes("x")));
      assertFalse(e.isTransient());
      assertTrue((System.nanoTime() - started) / 1e9 < 5);
      assertFalse(e.getMessage().contains("not-the-secret"));
      assertFalse(e.getMessage().contains("\n"));
    }
  }
}
