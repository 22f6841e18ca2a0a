package io.fedmllm.operator.pods;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fedmllm.api.v1alpha1.AffinitySpec;
import io.fedmllm.api.v1alpha1.CheckpointSourceSpec;
import io.fedmllm.api.v1alpha1.DataSourceSpec;
import io.fedmllm.api.v1alpha1.NodeSelectorRequirementSpec;
import io.fedmllm.api.v1alpha1.NodeSelectorTermSpec;
import io.fedmllm.api.v1alpha1.ResourceListSpec;
import io.fedmllm.api.v1alpha1.ResourceRequirementsSpec;
import io.fedmllm.api.v1alpha1.TolerationSpec;
import io.fedmllm.api.v1alpha1.VolumeSpec;
import io.fedmllm.operator.storage.StorageLocation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parts aggregator and trainer pods share: the hardened security context, environment (storage credentials only
 * through secretKeyRef, DJL offline), writable emptyDirs under a read-only root, the config, data and checkpoint mounts, and the
 * typed scheduling fields mapped to their Kubernetes types.
 */
public final class PodBlueprint {

  /** The non-root user the trainer image runs as (see trainer-image/Dockerfile). */
  public static final long RUN_AS_USER = 10001L;
  public static final String CONTAINER = "main";
  public static final String CONFIG_VOLUME = "config";
  public static final String CONFIG_MOUNT = "/etc/fedmllm";
  public static final String MANIFEST_FILE = "federation.yaml";
  public static final String CACHE_VOLUME = "cache";
  public static final String CACHE_MOUNT = "/var/cache/fedmllm";
  public static final String TMP_VOLUME = "tmp";
  public static final String TMP_MOUNT = "/tmp";
  public static final String DATA_VOLUME = "data";
  /** Where a data source's volume is mounted; its {@code path} is read below it. */
  public static final String DATA_MOUNT = "/data";
  public static final String CHECKPOINT_VOLUME = "checkpoint";
  /** Where the volume of {@code spec.model.checkpoint} is mounted; its {@code path} is read below it. */
  public static final String CHECKPOINT_MOUNT = "/checkpoint";
  public static final String ACCESS_KEY_ENV = "AWS_ACCESS_KEY_ID";
  public static final String SECRET_KEY_ENV = "AWS_SECRET_ACCESS_KEY";
  public static final String GPU_RESOURCE = "nvidia.com/gpu";

  private PodBlueprint() {}

  /** Name of the container port both processes serve Prometheus metrics on. */
  public static final String METRICS_PORT_NAME = "metrics";

  /**
   * The one container of an aggregator or trainer pod: the trainer image running {@code args}, storage credentials
   * from the Secret, the metrics port, the hardened security context and the mounts of the data's and the
   * checkpoint's volumes.
   *
   * @param checkpoint the Federation's {@code spec.model.checkpoint}; null when the model is not a checkpoint
   */
  public static Container processContainer(String image, List<String> args, StorageLocation storage,
      int metricsPort, ResourceRequirementsSpec resources, DataSourceSpec data, CheckpointSourceSpec checkpoint) {
    return new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(image)
        .withImagePullPolicy("IfNotPresent")
        .withArgs(args)
        .withEnv(environment(storage))
        .addNewPort().withName(METRICS_PORT_NAME).withContainerPort(metricsPort).withProtocol("TCP").endPort()
        .withResources(resources(resources))
        .withSecurityContext(containerSecurityContext())
        .withVolumeMounts(volumeMounts(data, checkpoint))
        .build();
  }

  /** runAsNonRoot with a fixed uid/gid, fsGroup for the volumes, seccomp RuntimeDefault. */
  public static PodSecurityContext podSecurityContext() {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(RUN_AS_USER)
        .withRunAsGroup(RUN_AS_USER)
        .withFsGroup(RUN_AS_USER)
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
        .build();
  }

  /** Read-only root, no privilege escalation, every capability dropped, seccomp RuntimeDefault. */
  public static SecurityContext containerSecurityContext() {
    Capabilities dropAll = new CapabilitiesBuilder().withDrop("ALL").build();
    return new SecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withReadOnlyRootFilesystem(true)
        .withAllowPrivilegeEscalation(false)
        .withPrivileged(false)
        .withCapabilities(dropAll)
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
        .build();
  }

  /**
   * Storage credentials from the named Secret (secretKeyRef only), the region, DJL offline settings and cache
   * locations on the writable emptyDir.
   */
  public static List<EnvVar> environment(StorageLocation storage) {
    List<EnvVar> env = new ArrayList<>();
    storage.credentialsSecret().ifPresent(secret -> {
      env.add(secretEnv(ACCESS_KEY_ENV, secret));
      env.add(secretEnv(SECRET_KEY_ENV, secret));
    });
    env.add(plain("AWS_REGION", storage.region()));
    env.add(plain("DJL_OFFLINE", "true"));
    env.add(plain("OPT_OUT_TRACKING", "true"));
    env.add(plain("OMP_WAIT_POLICY", "PASSIVE"));
    env.add(plain("FEDMLLM_CACHE", CACHE_MOUNT));
    env.add(plain("DJL_CACHE_DIR", CACHE_MOUNT + "/djl"));
    env.add(plain("ENGINE_CACHE_DIR", CACHE_MOUNT + "/engines"));
    env.add(plain("HOME", TMP_MOUNT));
    env.add(plain("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + TMP_MOUNT));
    return env;
  }

  private static EnvVar secretEnv(String name, String secret) {
    return new EnvVarBuilder().withName(name)
        .withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(name).withOptional(false)
        .endSecretKeyRef().endValueFrom()
        .build();
  }

  private static EnvVar plain(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  /**
   * The rendered manifest (read-only), the cache and /tmp emptyDirs, the data source's volume if it names one and the
   * checkpoint's volume if it names one. The cache emptyDir has no size limit: an {@code s3} dataset or checkpoint is
   * fetched into it, bounded by the fetchers' limit and the node's ephemeral storage (request {@code
   * ephemeral-storage} in resources to be scheduled where it fits).
   *
   * @param checkpoint the Federation's {@code spec.model.checkpoint}; null when the model is not a checkpoint
   */
  public static List<Volume> volumes(String configMap, DataSourceSpec data, CheckpointSourceSpec checkpoint) {
    List<Volume> volumes = new ArrayList<>();
    volumes.add(new VolumeBuilder().withName(CONFIG_VOLUME)
        .withNewConfigMap().withName(configMap).withDefaultMode(0444).endConfigMap().build());
    volumes.add(new VolumeBuilder().withName(CACHE_VOLUME).withNewEmptyDir().endEmptyDir().build());
    volumes.add(new VolumeBuilder().withName(TMP_VOLUME).withNewEmptyDir().endEmptyDir().build());
    volumeOf(DATA_VOLUME, data == null ? null : data.getVolume()).ifPresent(volumes::add);
    volumeOf(CHECKPOINT_VOLUME, checkpoint == null ? null : checkpoint.getVolume()).ifPresent(volumes::add);
    return volumes;
  }

  /** A claim (mounted read-only) or a host directory under {@code name}; empty without a volume. */
  private static Optional<Volume> volumeOf(String name, VolumeSpec volume) {
    if (volume != null && volume.getPersistentVolumeClaim() != null) {
      return Optional.of(new VolumeBuilder().withName(name)
          .withNewPersistentVolumeClaim().withClaimName(volume.getPersistentVolumeClaim()).withReadOnly(true)
          .endPersistentVolumeClaim().build());
    }
    if (volume != null && volume.getHostPath() != null) {
      return Optional.of(new VolumeBuilder().withName(name)
          .withNewHostPath().withPath(volume.getHostPath()).withType("Directory").endHostPath().build());
    }
    return Optional.empty();
  }

  /**
   * Mounts matching {@link #volumes}: the data's volume at {@link #DATA_MOUNT}, the checkpoint's at
   * {@link #CHECKPOINT_MOUNT}, both read-only.
   */
  public static List<VolumeMount> volumeMounts(DataSourceSpec data, CheckpointSourceSpec checkpoint) {
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(new VolumeMountBuilder().withName(CONFIG_VOLUME).withMountPath(CONFIG_MOUNT).withReadOnly(true).build());
    mounts.add(new VolumeMountBuilder().withName(CACHE_VOLUME).withMountPath(CACHE_MOUNT).build());
    mounts.add(new VolumeMountBuilder().withName(TMP_VOLUME).withMountPath(TMP_MOUNT).build());
    if (data != null && data.getVolume() != null) {
      mounts.add(new VolumeMountBuilder().withName(DATA_VOLUME).withMountPath(DATA_MOUNT).withReadOnly(true).build());
    }
    if (hasVolume(checkpoint)) {
      mounts.add(new VolumeMountBuilder().withName(CHECKPOINT_VOLUME).withMountPath(CHECKPOINT_MOUNT)
          .withReadOnly(true).build());
    }
    return mounts;
  }

  /** Whether the checkpoint lives on a volume the pods mount (rather than under s3:// or in the image). */
  public static boolean hasVolume(CheckpointSourceSpec checkpoint) {
    return checkpoint != null && checkpoint.getVolume() != null;
  }

  /**
   * The image of a trainer pod: the one the Federation names, else the GPU image when the pod's resources ask for an
   * {@code nvidia.com/gpu} (its CPU-only natives could not use the GPU), else the default image.
   *
   * @param named {@code spec.trainerImage}, null when unset
   * @param resources the pod's resources (the client's, else the Federation's), null when unset
   */
  public static String trainerImage(String named, ResourceRequirementsSpec resources, String defaultImage,
      String gpuImage) {
    if (named != null) {
      return named;
    }
    return requestsGpu(resources) ? gpuImage : defaultImage;
  }

  /** Whether requests or limits ask for at least one {@code nvidia.com/gpu} (a limit alone implies the request). */
  public static boolean requestsGpu(ResourceRequirementsSpec resources) {
    return resources != null && (gpus(resources.getRequests()) > 0 || gpus(resources.getLimits()) > 0);
  }

  private static int gpus(ResourceListSpec list) {
    return list == null || list.getNvidiaGpu() == null ? 0 : list.getNvidiaGpu();
  }

  /** The typed resources block as Kubernetes requirements; null when none is set. */
  public static ResourceRequirements resources(ResourceRequirementsSpec spec) {
    if (spec == null) {
      return null;
    }
    return new ResourceRequirementsBuilder()
        .withRequests(quantities(spec.getRequests()))
        .withLimits(quantities(spec.getLimits()))
        .build();
  }

  private static Map<String, Quantity> quantities(ResourceListSpec list) {
    Map<String, Quantity> q = new LinkedHashMap<>();
    if (list == null) {
      return q;
    }
    if (list.getCpu() != null) {
      q.put("cpu", new Quantity(list.getCpu()));
    }
    if (list.getMemory() != null) {
      q.put("memory", new Quantity(list.getMemory()));
    }
    if (list.getEphemeralStorage() != null) {
      q.put("ephemeral-storage", new Quantity(list.getEphemeralStorage()));
    }
    if (list.getNvidiaGpu() != null) {
      q.put(GPU_RESOURCE, new Quantity(Integer.toString(list.getNvidiaGpu())));
    }
    return q;
  }

  /** The federation's node selector with the client's added on top (a key the client sets wins). */
  public static Map<String, String> nodeSelector(Map<String, String> federation, Map<String, String> client) {
    Map<String, String> merged = new LinkedHashMap<>();
    if (federation != null) {
      merged.putAll(federation);
    }
    if (client != null) {
      merged.putAll(client);
    }
    return merged.isEmpty() ? null : merged;
  }

  /** The federation's tolerations followed by the client's. */
  public static List<Toleration> tolerations(List<TolerationSpec> federation, List<TolerationSpec> client) {
    List<Toleration> all = new ArrayList<>();
    for (List<TolerationSpec> list : List.of(orEmpty(federation), orEmpty(client))) {
      for (TolerationSpec t : list) {
        all.add(new TolerationBuilder()
            .withKey(t.getKey())
            .withOperator(t.getOperator() == null ? null : enumValue(t.getOperator()))
            .withValue(t.getValue())
            .withEffect(t.getEffect() == null ? null : enumValue(t.getEffect()))
            .withTolerationSeconds(t.getTolerationSeconds())
            .build());
      }
    }
    return all.isEmpty() ? null : all;
  }

  /** The affinity block as Kubernetes Affinity; null when absent. */
  public static Affinity affinity(AffinitySpec spec) {
    if (spec == null || spec.getNodeAffinity() == null) {
      return null;
    }
    List<io.fabric8.kubernetes.api.model.NodeSelectorTerm> terms = new ArrayList<>();
    for (NodeSelectorTermSpec term : spec.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms()) {
      NodeSelectorTermBuilder builder = new NodeSelectorTermBuilder();
      for (NodeSelectorRequirementSpec r : term.getMatchExpressions()) {
        builder.addToMatchExpressions(new NodeSelectorRequirementBuilder()
            .withKey(r.getKey())
            .withOperator(enumValue(r.getOperator()))
            .withValues(r.getValues())
            .build());
      }
      terms.add(builder.build());
    }
    return new AffinityBuilder().withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution().withNodeSelectorTerms(terms)
        .endRequiredDuringSchedulingIgnoredDuringExecution()
        .endNodeAffinity().build();
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  /** The name an API enum constant has in YAML (its {@code @JsonProperty}), e.g. NO_EXECUTE -> NoExecute. */
  static String enumValue(Enum<?> constant) {
    try {
      JsonProperty json = constant.getDeclaringClass().getField(constant.name()).getAnnotation(JsonProperty.class);
      return json != null ? json.value() : constant.name();
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException(e);
    }
  }
}
