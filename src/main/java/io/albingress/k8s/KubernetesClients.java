package io.albingress.k8s;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.Vertx;
import java.io.File;
import java.util.Optional;

/** Builds the fabric8 client on our Vert.x instance, so Kubernetes I/O shares its event loops. */
public final class KubernetesClients {
  private KubernetesClients() {}

  /** @param kubeconfig a kubeconfig file; empty means in-cluster configuration */
  public static KubernetesClient create(Vertx vertx, Optional<File> kubeconfig) {
    Config config = kubeconfig.map(Config::fromKubeconfig).orElseGet(() -> Config.autoConfigure(null));
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientFactory(new Vertx5HttpClientFactory(vertx))
        .build();
  }
}
