package io.fedmllm.operator;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fedmllm.api.v1alpha1.DataFormat;
import io.fedmllm.api.v1alpha1.DataSourceSpec;
import io.fedmllm.api.v1alpha1.FederationClientSpec;
import io.fedmllm.api.v1alpha1.FederationReference;
import io.fedmllm.api.v1alpha1.FederationSpec;
import io.fedmllm.api.v1alpha1.ModelPreset;
import io.fedmllm.api.v1alpha1.ModelSpec;
import io.fedmllm.api.v1alpha1.StorageSpec;
import io.fedmllm.api.v1alpha1.SyntheticDataSpec;
import io.fedmllm.api.v1alpha1.TaskType;
import io.fedmllm.operator.api.v1alpha1.Federation;
import io.fedmllm.operator.api.v1alpha1.FederationClient;

/** Small valid Federations and FederationClients for tests. */
public final class Fixtures {

  private Fixtures() {}

  public static Federation federation(String namespace, String name) {
    FederationSpec spec = new FederationSpec();
    spec.setTask(TaskType.HATEFUL);
    ModelSpec model = new ModelSpec();
    model.setPreset(ModelPreset.TINY);
    spec.setModel(model);
    spec.setRounds(3);
    spec.setEvalData(synthetic("hateful,seed=42,count=100"));
    StorageSpec storage = new StorageSpec();
    storage.setEndpoint("http://minio.storage:9000");
    storage.setBucket("fedmllm");
    storage.setCredentialsSecret("storage-credentials");
    spec.setStorage(storage);
    Federation f = new Federation();
    f.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).withUid("uid-" + name)
        .withGeneration(1L).build());
    f.setSpec(spec);
    return f;
  }

  public static FederationClient client(String namespace, String name, String federation) {
    FederationClientSpec spec = new FederationClientSpec();
    FederationReference ref = new FederationReference();
    ref.setName(federation);
    spec.setFederationRef(ref);
    spec.setData(synthetic("hateful,seed=42,count=200"));
    FederationClient c = new FederationClient();
    c.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).withUid("uid-" + name)
        .withGeneration(1L).build());
    c.setSpec(spec);
    return c;
  }

  public static DataSourceSpec synthetic(String generator) {
    DataSourceSpec data = new DataSourceSpec();
    data.setFormat(DataFormat.SYNTHETIC);
    SyntheticDataSpec s = new SyntheticDataSpec();
    s.setGenerator(generator);
    data.setSynthetic(s);
    return data;
  }
}
