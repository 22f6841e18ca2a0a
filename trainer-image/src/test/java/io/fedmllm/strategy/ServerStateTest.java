package io.fedmllm.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.tensor.Safetensors;
import io.fedmllm.tensor.TensorMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServerStateTest {

  private static final int CLIENTS = 3;
  private static final int ROUNDS = 4;

  @TempDir Path dir;

  static ServerStrategy strategy(String name) {
    return ServerStrategies.create(name, name.equals("scaffold") ? Map.of("numClients", 5) : Map.of());
  }

  /** Runs rounds {@code from+1 .. to} starting from the given global adapter and state. */
  static RoundResult run(ServerStrategy strategy, TensorMap global, ServerState state, int from, int to) {
    RoundResult result = new RoundResult(global, state);
    for (int round = from + 1; round <= to; round++) {
      Aggregation agg = strategy.begin(result.global(), result.state());
      for (int k = 0; k < CLIENTS; k++) {
        agg.add(Vectors.randomUpdate(result.global(), round, k, strategy.name().equals("scaffold")));
      }
      result = agg.finish();
    }
    return result;
  }

  @ParameterizedTest
  @ValueSource(strings = {"fedavg", "fedavgm", "fedadagrad", "fedadam", "fedyogi", "scaffold"})
  void restartFromSavedFilesIsBitIdenticalToAnUninterruptedRun(String name) throws IOException {
    ServerStrategy strategy = strategy(name);
    TensorMap global0 = Vectors.random(1, 0.02f);
    RoundResult uninterrupted = run(strategy, global0, strategy.initialState(global0), 0, ROUNDS);

    RoundResult half = run(strategy, global0, strategy.initialState(global0), 0, ROUNDS / 2);
    Path stateFile = dir.resolve(name + "-state.safetensors");
    Path globalFile = dir.resolve(name + "-global.safetensors");
    half.state().write(stateFile);
    Safetensors.write(globalFile, half.global());

    ServerStrategy restarted = strategy(name); // a fresh process would build a new strategy object
    RoundResult resumed = run(restarted, Safetensors.read(globalFile).tensors(), ServerState.read(stateFile),
        ROUNDS / 2, ROUNDS);

    assertArrayEquals(Safetensors.encode(uninterrupted.global(), Map.of()),
        Safetensors.encode(resumed.global(), Map.of()), "final adapter bytes");
    assertArrayEquals(uninterrupted.state().encode(), resumed.state().encode(), "final state bytes");
    assertEquals(ROUNDS, resumed.state().round());
    assertNotEquals(global0, resumed.global(), "training moved the adapter");
  }

  @ParameterizedTest
  @ValueSource(strings = {"fedavg", "fedavgm", "fedadagrad", "fedadam", "fedyogi", "scaffold"})
  void stateRoundTripIsExactInValuesAndBytes(String name) throws IOException {
    ServerStrategy strategy = strategy(name);
    TensorMap global = Vectors.random(2, 0.02f);
    ServerState state = run(strategy, global, strategy.initialState(global), 0, 2).state();
    Path file = dir.resolve("state.safetensors");
    state.write(file);
    ServerState back = ServerState.read(file);
    assertEquals(state, back);
    assertArrayEquals(Files.readAllBytes(file), back.encode());
    assertEquals(state, ServerState.decode(state.encode(), "mem"));
  }

  @Test
  void metadataRecordsStrategyParametersAndRound() throws IOException {
    ServerStrategy adam = ServerStrategies.create("fedadam", Map.of("eta", 0.01));
    TensorMap global = Vectors.random(3, 0.02f);
    Path file = dir.resolve("s.safetensors");
    run(adam, global, adam.initialState(global), 0, 1).state().write(file);
    Map<String, String> meta = Safetensors.read(file).metadata();
    assertEquals("fedadam", meta.get("fedmllm.strategy"));
    assertEquals("beta1=0.9,beta2=0.99,eta=0.01,tau=0.001", meta.get("fedmllm.parameters"));
    assertEquals("1", meta.get("fedmllm.round"));
    assertEquals("m,v", meta.get("fedmllm.slots"));
    assertTrue(Safetensors.read(file).tensors().contains("m/a.lora_A"));
  }

  @Test
  void resumingWithAnotherStrategyOrParametersIsRefused() {
    TensorMap global = Vectors.random(4, 0.02f);
    ServerState adamState = ServerStrategies.create("fedadam").initialState(global);
    IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
        () -> ServerStrategies.create("fedyogi").begin(global, adamState));
    assertTrue(other.getMessage().contains("fedadam"), other.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> ServerStrategies.create("fedadam", Map.of("eta", 0.5)).begin(global, adamState));
  }

  @Test
  void stateOfAnotherAdapterLayoutIsRefused() {
    ServerStrategy adam = ServerStrategies.create("fedadam");
    ServerState state = adam.initialState(Vectors.vec(0, 0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> adam.begin(Vectors.vec(0, 0, 0), state));
    assertTrue(e.getMessage().contains("slot 'm'"), e.getMessage());
  }

  @Test
  void aFileThatIsNotAServerStateIsRefused() throws IOException {
    Path file = dir.resolve("adapter.safetensors");
    Safetensors.write(file, Vectors.vec(1), Map.of("format", "pt"));
    IOException e = assertThrows(IOException.class, () -> ServerState.read(file));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
  }
}
