package io.fedmllm.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedmllm.api.manifest.Manifest;
import io.fedmllm.api.manifest.ManifestReader;
import io.fedmllm.api.manifest.Resource;
import io.fedmllm.api.v1alpha1.DataFormat;
import io.fedmllm.api.v1alpha1.DataSourceSpec;
import io.fedmllm.api.v1alpha1.FederationClientSpec;
import io.fedmllm.api.v1alpha1.VolumeSpec;
import io.fedmllm.data.Fixtures;
import io.fedmllm.data.Sample;
import io.fedmllm.data.partition.Scenario;
import io.fedmllm.data.partition.ScenarioPartitioner;
import io.fedmllm.data.synthetic.SyntheticSpec;
import io.fedmllm.data.synthetic.SyntheticSplit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientDataResolverTest {

  private static final Path EXAMPLES = Path.of("../examples");

  @Test
  void syntheticPartitionGivesEachClientItsPaperStylePart() throws Exception {
    Manifest manifest = new ManifestReader().read(EXAMPLES.resolve("local-missing-10clients.yaml"));
    ClientDataResolver resolver = ClientDataResolver.forLocalRun(EXAMPLES, Optional.empty());
    List<List<Sample>> expected = new ScenarioPartitioner(10, 42).partition(
        SyntheticSpec.parse("hateful,seed=42,count=1000").generate(SyntheticSplit.POOL), Scenario.parse("missing:0.3"));
    Set<String> ids = new HashSet<>();
    int total = 0;
    for (Resource<FederationClientSpec> client : manifest.clients()) {
      List<Sample> samples = resolver.clientSamples(client.spec());
      int index = client.spec().getData().getSynthetic().getIndex();
      assertEquals(ids(expected.get(index)), ids(samples), client.name());
      samples.forEach(s -> ids.add(s.id()));
      total += samples.size();
    }
    assertEquals(1000, total);
    assertEquals(1000, ids.size(), "the parts are disjoint");
    long imageless = expected.stream().flatMap(List::stream).filter(s -> !s.hasImage()).count();
    assertTrue(imageless > 200 && imageless < 400, "about 30% miss their image: " + imageless);
  }

  @Test
  void evalDataIsTheGeneratorsTestSplit() throws Exception {
    Manifest manifest = new ManifestReader().read(EXAMPLES.resolve("local-aligned-4clients.yaml"));
    List<Sample> eval = ClientDataResolver.forLocalRun(EXAMPLES, Optional.empty())
        .evalSamples(manifest.federation().spec());
    assertEquals(300, eval.size());
    assertEquals(ids(SyntheticSpec.parse("hateful,seed=42,count=300").generate(SyntheticSplit.TEST)), ids(eval));
  }

  @Test
  void readsFilesRelativeToTheManifestOrOnAHostPathVolume() throws IOException {
    Path fixtures = Fixtures.path("hateful-memes").getParent();
    DataSourceSpec data = files(DataFormat.HATEFUL_MEMES, "hateful-memes");
    List<Sample> relative = ClientDataResolver.forLocalRun(fixtures, Optional.empty()).clientSamples(client(data));
    assertFalse(relative.isEmpty());

    VolumeSpec volume = new VolumeSpec();
    volume.setHostPath(fixtures.toString());
    data.setVolume(volume);
    data.setSplit("dev");
    List<Sample> onVolume = ClientDataResolver.forLocalRun(Path.of("/nonexistent"), Optional.empty())
        .clientSamples(client(data));
    assertFalse(onVolume.isEmpty());
    assertFalse(ids(relative).equals(ids(onVolume)), "dev is not train");
  }

  @Test
  void inAPodThePathIsBelowTheMountedVolume() throws IOException {
    Path fixtures = Fixtures.path("jsonl").getParent();
    DataSourceSpec data = files(DataFormat.JSONL, "jsonl");
    VolumeSpec volume = new VolumeSpec();
    volume.setPersistentVolumeClaim("client-data");
    data.setVolume(volume);
    assertFalse(ClientDataResolver.inPod(fixtures, Optional.empty()).clientSamples(client(data)).isEmpty());
    IOException local = assertThrows(IOException.class,
        () -> ClientDataResolver.forLocalRun(fixtures, Optional.empty()).clientSamples(client(data)));
    assertTrue(local.getMessage().startsWith("spec.data.volume.persistentVolumeClaim: a PersistentVolumeClaim"
        + " exists only on a cluster"), local.getMessage());
  }

  @Test
  void s3SourcesGoThroughTheRemoteFetcher() throws IOException {
    Path fixtures = Fixtures.path("jsonl");
    DataSourceSpec data = new DataSourceSpec();
    data.setFormat(DataFormat.JSONL);
    data.setS3("s3://bucket/jsonl/");
    List<String> fetched = new ArrayList<>();
    ClientDataResolver resolver = ClientDataResolver.forLocalRun(Path.of("."), Optional.of(uri -> {
      fetched.add(uri);
      return fixtures;
    }));
    assertFalse(resolver.clientSamples(client(data)).isEmpty());
    assertEquals(List.of("s3://bucket/jsonl/"), fetched);
    IOException none = assertThrows(IOException.class,
        () -> ClientDataResolver.forLocalRun(Path.of("."), Optional.empty()).clientSamples(client(data)));
    assertTrue(none.getMessage().startsWith("spec.data.s3: reading s3://bucket/jsonl/ needs object storage"),
        none.getMessage());
  }

  @Test
  void problemsNameTheField() {
    ClientDataResolver resolver = ClientDataResolver.forLocalRun(Path.of("/nonexistent"), Optional.empty());
    IOException missing = assertThrows(IOException.class,
        () -> resolver.clientSamples(client(files(DataFormat.HATEFUL_MEMES, "hm"))));
    assertEquals("spec.data.path: /nonexistent/hm does not exist", missing.getMessage());

    DataSourceSpec beta = new DataSourceSpec();
    beta.setFormat(DataFormat.SYNTHETIC);
    var synthetic = new io.fedmllm.api.v1alpha1.SyntheticDataSpec();
    synthetic.setGenerator("hateful,count=20");
    synthetic.setScenario("missing:0.7");
    synthetic.setClients(2);
    synthetic.setIndex(0);
    beta.setSynthetic(synthetic);
    IOException range = assertThrows(IOException.class, () -> resolver.clientSamples(client(beta)));
    assertTrue(range.getMessage().startsWith("spec.data.synthetic.scenario: invalid scenario 'missing:0.7'"),
        range.getMessage());
  }

  @Test
  void aClientWithAnEmptyFileFailsNamingTheFieldAndTheFile(@TempDir Path dir) throws IOException {
    Path empty = Files.writeString(dir.resolve("train.jsonl"), "");
    IOException e = assertThrows(IOException.class, () -> ClientDataResolver.forLocalRun(dir, Optional.empty())
        .clientSamples(client(files(DataFormat.JSONL, "train.jsonl"))));
    assertEquals("spec.data: " + empty + ": no samples: the file holds no records", e.getMessage());
  }

  private static DataSourceSpec files(DataFormat format, String path) {
    DataSourceSpec data = new DataSourceSpec();
    data.setFormat(format);
    data.setPath(path);
    return data;
  }

  private static FederationClientSpec client(DataSourceSpec data) {
    FederationClientSpec spec = new FederationClientSpec();
    spec.setData(data);
    return spec;
  }

  private static List<String> ids(List<Sample> samples) {
    return samples.stream().map(Sample::id).toList();
  }
}
