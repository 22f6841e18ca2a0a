package io.fedmllm.operator.events;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/** Writes core/v1 Events about Federations and FederationClients; a failed write is logged, never fatal. */
@ApplicationScoped
public class EventRecorder {

  private static final Logger LOG = Logger.getLogger(EventRecorder.class);
  private static final String COMPONENT = "fedmllm-operator";
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final KubernetesClient client;

  public EventRecorder(KubernetesClient client) {
    this.client = client;
  }

  public void record(HasMetadata object, TransitionEvent event) {
    String now = Instant.now().toString();
    String name = object.getMetadata().getName() + "." + Long.toHexString(System.currentTimeMillis())
        + Long.toHexString(SEQUENCE.incrementAndGet());
    try {
      client.v1().events().inNamespace(object.getMetadata().getNamespace()).resource(new EventBuilder()
          .withNewMetadata().withName(name.toLowerCase(Locale.ROOT)).withNamespace(object.getMetadata().getNamespace())
          .endMetadata()
          .withInvolvedObject(new ObjectReferenceBuilder()
              .withApiVersion(object.getApiVersion()).withKind(object.getKind())
              .withName(object.getMetadata().getName()).withNamespace(object.getMetadata().getNamespace())
              .withUid(object.getMetadata().getUid()).build())
          .withType(event.warning() ? "Warning" : "Normal")
          .withReason(event.reason())
          .withMessage(event.message())
          .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
          .withNewSource().withComponent(COMPONENT).endSource()
          .withReportingComponent(COMPONENT)
          .build()).create();
    } catch (KubernetesClientException e) {
      LOG.warnf("cannot record event %s on %s/%s: %s", event.reason(), object.getKind(),
          object.getMetadata().getName(), e.getMessage());
    }
  }
}
