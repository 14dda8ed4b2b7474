package io.albingress.controller;

import io.albingress.aws.CachedAwsFacts;
import io.albingress.aws.LeadershipGate;
import io.albingress.deploy.ImportedCertificates;
import io.albingress.deploy.Reconciliation;
import io.albingress.deploy.SecurityGroupSynthesizer;
import io.albingress.deploy.StackDeployer;
import io.albingress.gateway.Attachment;
import io.albingress.gateway.CertificateRefs;
import io.albingress.gateway.ConfigFinalizers;
import io.albingress.gateway.GatewayExtensions;
import io.albingress.gateway.GatewayInputs;
import io.albingress.gateway.GatewayStackBuilder;
import io.albingress.gateway.GatewayStackBuilder.GatewayBuild;
import io.albingress.gateway.GatewayStatuses;
import io.albingress.gateway.GrpcRoutes;
import io.albingress.gateway.ListenerRuleConfigStatus;
import io.albingress.gateway.ListenerSets;
import io.albingress.gateway.LoadBalancerConfigs;
import io.albingress.model.TlsPem;
import io.albingress.k8s.EventRecorder;
import io.albingress.k8s.GatewayInformers;
import io.albingress.k8s.GatewayWriter;
import io.albingress.k8s.Informers;
import io.albingress.model.ClusterFacts;
import io.albingress.model.Known;
import io.albingress.model.Stack;
import io.albingress.model.StackId;
import io.albingress.model.TargetGroup;
import io.albingress.plan.PlanReport;
import io.albingress.plan.PlanText;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSet;
import io.vertx.core.Future;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconciliation of one Gateway's stack, on the same deployer and target sync as Ingress stacks:
 * finalizers on the GatewayClass and the Gateway, the model from the informer caches, AWS, then the
 * status of the Gateway, its listeners and its routes. A Gateway that is deleted, or no longer of our
 * class, loses its ALB and everything with it before its finalizer goes.
 */
public final class GatewayReconciler {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayReconciler.class);
  public static final String GATEWAY_FINALIZER = "gateway.k8s.aws/alb";
  public static final String CLASS_FINALIZER = "gateway.k8s.aws/gatewayclass";
  private static final String NO_FACTS = "readiness gates are named from Kubernetes objects only";

  private final GatewayInformers gateways;
  private final Informers informers;
  private final CachedAwsFacts awsFacts;
  private final StackDeployer deployer;
  private final GatewayWriter writer;
  private final EventRecorder events;
  private final StackReconciler.Settings settings;
  private final Function<Stack, Future<Void>> deployed;
  private final Function<Stack, SecurityGroupSynthesizer.Endpoints> endpoints;
  private final GatewayStackBuilder builder = new GatewayStackBuilder();
  private final AtomicLong runs = new AtomicLong();
  /** Imports of listeners' tls.certificateRefs into ACM; without it, refs are answered as not importable. */
  private Optional<ImportedCertificates> certificates = Optional.empty();

  public GatewayReconciler(GatewayInformers gateways, Informers informers, CachedAwsFacts awsFacts, StackDeployer deployer,
      GatewayWriter writer, EventRecorder events, StackReconciler.Settings settings, Function<Stack, Future<Void>> deployed,
      Function<Stack, SecurityGroupSynthesizer.Endpoints> endpoints) {
    this.gateways = gateways;
    this.informers = informers;
    this.awsFacts = awsFacts;
    this.deployer = deployer;
    this.writer = writer;
    this.events = events;
    this.settings = settings;
    this.deployed = deployed;
    this.endpoints = endpoints;
  }

  /** Enables listener tls.certificateRefs: their Secrets are imported into ACM by {@code imports}. */
  public GatewayReconciler certificates(ImportedCertificates imports) {
    this.certificates = Optional.of(imports);
    return this;
  }

  /** The Gateways whose listeners' tls.certificateRefs name the Secret. */
  public Set<StackId> usersOfSecret(String namespace, String name) {
    CertificateRefs.SecretRef ref = new CertificateRefs.SecretRef(namespace, name);
    // with the listeners of its accepted ListenerSets
    return gateways.gateways().stream().filter(g -> CertificateRefs.named(merged(g)).contains(ref)).map(GatewayReconciler::id)
        .collect(Collectors.toSet());
  }

  public boolean ourClass(GatewayClass gc) {
    return gc != null && gc.getSpec() != null && GatewayStatuses.CONTROLLER_NAME.equals(gc.getSpec().getControllerName());
  }

  public boolean ours(Gateway gw) {
    return gateways.gatewayClass(gw.getSpec().getGatewayClassName()).filter(this::ourClass).isPresent();
  }

  /**
   * Gateways of our classes, and Gateways still holding our finalizer; and our GatewayClasses ({@link #classKey}),
   * so a new leader writes their status too.
   */
  public Set<StackId> knownStacks() {
    Set<StackId> known = gateways.gateways().stream().filter(g -> ours(g) || GatewayWriter.hasFinalizer(g, GATEWAY_FINALIZER))
        .map(GatewayReconciler::id).collect(Collectors.toSet());
    gateways.gatewayClasses().stream().filter(this::ourClass).map(gc -> classKey(gc.getMetadata().getName())).forEach(known::add);
    // every configuration object: its finalizer (and a ListenerRuleConfiguration's status)
    for (ConfigFinalizers.Kind kind : ConfigFinalizers.Kind.values()) {
      configs(kind).list().forEach(c -> known.add(configKey(kind, c.getMetadata().getNamespace(), c.getMetadata().getName())));
    }
    return known;
  }

  /**
   * The reconcile-loop key of a GatewayClass: a Gateway key without namespace (a Gateway always has one), so
   * its status goes through the same leader-only loop, one run at a time, as the stacks; it owns no AWS resource.
   */
  public static StackId classKey(String className) {
    return StackId.gatewayOf("", className);
  }

  public static boolean isClassKey(StackId id) {
    return id.gateway() && id.namespace().isEmpty() && configKind(id).isEmpty();
  }

  /**
   * The reconcile-loop key of a configuration object (its finalizer, and a ListenerRuleConfiguration's status), as
   * {@link #classKey}: leader-only, one write at a time. The name is "Kind:namespace/name" (a ':' is never in a
   * GatewayClass name).
   */
  public static StackId configKey(ConfigFinalizers.Kind kind, String namespace, String name) {
    return StackId.gatewayOf("", kind.kind() + ":" + namespace + "/" + name);
  }

  /** The kind of a {@link #configKey}. */
  static Optional<ConfigFinalizers.Kind> configKind(StackId id) {
    if (!id.gateway() || !id.namespace().isEmpty() || id.name().indexOf(':') < 0) {
      return Optional.empty();
    }
    return ConfigFinalizers.Kind.of(id.name().substring(0, id.name().indexOf(':')));
  }

  public static StackId listenerRuleConfigKey(String namespace, String name) {
    return configKey(ConfigFinalizers.Kind.LISTENER_RULE, namespace, name);
  }

  public static boolean isListenerRuleConfigKey(StackId id) {
    return configKind(id).filter(k -> k == ConfigFinalizers.Kind.LISTENER_RULE).isPresent();
  }

  /** The keys of the configuration objects being deleted that still hold our finalizer: what uses them may have let go. */
  public Set<StackId> deletingConfigs() {
    Set<StackId> out = new java.util.LinkedHashSet<>();
    for (ConfigFinalizers.Kind kind : ConfigFinalizers.Kind.values()) {
      configs(kind).list().stream().filter(c -> c.getMetadata().getDeletionTimestamp() != null && GatewayWriter.hasFinalizer(c, kind.finalizer()))
          .forEach(c -> out.add(configKey(kind, c.getMetadata().getNamespace(), c.getMetadata().getName())));
    }
    return out;
  }

  private io.albingress.k8s.LateCrdInformer<io.fabric8.kubernetes.api.model.GenericKubernetesResource> configs(ConfigFinalizers.Kind kind) {
    return switch (kind) {
      case LOAD_BALANCER -> gateways.loadBalancerConfigs();
      case TARGET_GROUP -> gateways.targetGroupConfigs();
      case LISTENER_RULE -> gateways.listenerRuleConfigs();
    };
  }

  public static StackId id(Gateway gw) {
    return StackId.gatewayOf(gw.getMetadata().getNamespace(), gw.getMetadata().getName());
  }

  /**
   * The Gateways a route's parentRefs name, directly or through a ListenerSet naming one (before and after a change,
   * the caller unions them).
   */
  public List<StackId> stacksOf(HTTPRoute route) {
    String ns = route.getMetadata().getNamespace();
    if (route.getSpec() == null || route.getSpec().getParentRefs() == null) {
      return List.of();
    }
    List<StackId> out = new java.util.ArrayList<>(route.getSpec().getParentRefs().stream()
        .filter(p -> (p.getGroup() == null || p.getGroup().equals(Attachment.GROUP)) && (p.getKind() == null || p.getKind().equals("Gateway")))
        .map(p -> StackId.gatewayOf(p.getNamespace() == null ? ns : p.getNamespace(), p.getName())).toList());
    route.getSpec().getParentRefs().stream().filter(ListenerSets::refersToListenerSet)
        .flatMap(p -> gateways.listenerSets().get((p.getNamespace() == null || p.getNamespace().isEmpty() ? ns : p.getNamespace())
            + "/" + p.getName()).stream())
        .flatMap(ls -> stacksOf(ls).stream()).forEach(out::add);
    return out.stream().distinct().toList();
  }

  /** The Gateway a ListenerSet's parentRef names. */
  public static List<StackId> stacksOf(ListenerSet ls) {
    return ListenerSets.parentKey(ls).map(k -> StackId.gatewayOf(k.substring(0, k.indexOf('/')), k.substring(k.indexOf('/') + 1)))
        .stream().toList();
  }

  /**
   * The ListenerSets ("namespace/name") routes name that do not exist (once their informer has listed): our route status
   * entries for them go, whichever Gateway they belonged to.
   */
  private Set<String> missingListenerSets() {
    if (!gateways.listenerSets().available()) {
      return Set.of();
    }
    return routes().stream().filter(r -> r.getSpec() != null && r.getSpec().getParentRefs() != null)
        .flatMap(r -> r.getSpec().getParentRefs().stream().filter(ListenerSets::refersToListenerSet)
            .map(p -> (p.getNamespace() == null || p.getNamespace().isEmpty() ? r.getMetadata().getNamespace() : p.getNamespace()) + "/" + p.getName()))
        .filter(k -> gateways.listenerSets().get(k).isEmpty()).collect(Collectors.toSet());
  }

  /** The routes with a parentRef to one of these ListenerSets ("namespace/name"). */
  private List<HTTPRoute> routesOfListenerSets(Set<String> keys) {
    return routes().stream().filter(r -> r.getSpec() != null && r.getSpec().getParentRefs() != null && r.getSpec().getParentRefs().stream()
        .anyMatch(p -> ListenerSets.refersToListenerSet(p) && keys.contains((p.getNamespace() == null || p.getNamespace().isEmpty()
            ? r.getMetadata().getNamespace() : p.getNamespace()) + "/" + p.getName()))).toList();
  }

  /** The Gateways with a route in that namespace that names the Service as a backend. */
  public Set<StackId> usersOf(Service svc) {
    return usersOf(svc.getMetadata().getNamespace(), svc.getMetadata().getName());
  }

  /** The Gateways with a route in that namespace that names the Service (namespace, name) as a backend. */
  public Set<StackId> usersOf(String ns, String name) {
    return routes().stream().filter(r -> r.getSpec() != null && r.getSpec().getRules() != null && r.getSpec().getRules().stream()
            .flatMap(rule -> rule.getBackendRefs() == null ? java.util.stream.Stream.empty() : rule.getBackendRefs().stream())
            .anyMatch(b -> name.equals(b.getName()) && ns.equals(b.getNamespace() == null ? r.getMetadata().getNamespace() : b.getNamespace())))
        .flatMap(r -> stacksOf(r).stream()).collect(Collectors.toSet());
  }

  /**
   * The target groups our Gateways' rules forward to that send to a Service, from the informer caches alone
   * ({@link GatewayStackBuilder#forwardedTargetGroups}: no AWS facts), so every replica names the readiness
   * gates of a pod the same, leader or not, and as the leader deploys them.
   */
  public List<TargetGroup> targetGroupsOf(String namespace, String service) {
    if (!gateways.available()) {
      return List.of();
    }
    ClusterFacts noFacts = new ClusterFacts(settings.clusterName(), settings.region(), settings.vpcId(), Known.unknown(NO_FACTS),
        Known.unknown(NO_FACTS), settings.defaultTags());
    return usersOf(namespace, service).stream().sorted(java.util.Comparator.comparing(StackId::key))
        .flatMap(id -> gateways.gateway(id.namespace(), id.name()).stream())
        .filter(g -> g.getMetadata().getDeletionTimestamp() == null && ours(g))
        .flatMap(g -> builder.forwardedTargetGroups(id(g), inputs(g, CertificateRefs.ListenerCertificates.NONE), noFacts).stream())
        .filter(tg -> tg.service().namespace().equals(namespace) && tg.service().name().equals(service))
        .toList();
  }

  /** The GatewayClasses naming a LoadBalancerConfiguration (namespace, name) in spec.parametersRef. */
  public Set<String> classesOfLoadBalancerConfig(String namespace, String name) {
    return gateways.gatewayClasses().stream().filter(gc -> gc.getSpec() != null && gc.getSpec().getParametersRef() != null
            && LoadBalancerConfigs.KIND.equals(gc.getSpec().getParametersRef().getKind())
            && namespace.equals(gc.getSpec().getParametersRef().getNamespace()) && name.equals(gc.getSpec().getParametersRef().getName()))
        .map(gc -> gc.getMetadata().getName()).collect(Collectors.toSet());
  }

  /**
   * The Gateways a LoadBalancerConfiguration ("namespace/name") may configure: those of its namespace naming it in
   * spec.infrastructure.parametersRef, and every Gateway of a class naming it in spec.parametersRef.
   */
  public Set<StackId> usersOfLoadBalancerConfig(String namespace, String name) {
    Set<String> classes = classesOfLoadBalancerConfig(namespace, name);
    return gateways.gateways().stream().filter(g -> classes.contains(g.getSpec().getGatewayClassName())
            || (namespace.equals(g.getMetadata().getNamespace()) && g.getSpec().getInfrastructure() != null
                && g.getSpec().getInfrastructure().getParametersRef() != null
                && LoadBalancerConfigs.KIND.equals(g.getSpec().getInfrastructure().getParametersRef().getKind())
                && name.equals(g.getSpec().getInfrastructure().getParametersRef().getName())))
        .map(GatewayReconciler::id).collect(Collectors.toSet());
  }

  public Future<Void> reconcile(StackId id, boolean deepCheck) {
    Reconciliation run = new Reconciliation(id, runs.incrementAndGet());
    if (!gateways.available()) {
      return Future.succeededFuture();
    }
    Optional<ConfigFinalizers.Kind> configKind = configKind(id);
    if (configKind.isPresent()) {
      String key = id.name().substring(id.name().indexOf(':') + 1);
      return reconcileConfig(configKind.get(), key).onFailure(e -> {
        if (!LeadershipGate.refused(e)) {
          run.failed(LOG, "reconciling " + id.name(), e);
        }
      });
    }
    if (isClassKey(id)) {
      return reconcileClass(id.name()).onFailure(e -> {
        if (!LeadershipGate.refused(e)) {
          run.failed(LOG, "writing the status of GatewayClass " + id.name(), e);
        }
      });
    }
    Optional<Gateway> found = gateways.gateway(id.namespace(), id.name());
    if (found.isPresent() && found.get().getMetadata().getDeletionTimestamp() == null && !ours(found.get())
        && gateways.gatewayClass(found.get().getSpec().getGatewayClassName()).isEmpty()
        && GatewayWriter.hasFinalizer(found.get(), GATEWAY_FINALIZER)) {
      // a class deleted is no reason to delete load balancers: kept until the class is back or the Gateway goes
      LOG.warn("Gateway {}: GatewayClass {} not found; its AWS resources are kept unchanged", id, found.get().getSpec().getGatewayClassName());
      return Future.succeededFuture();
    }
    boolean active = found.isPresent() && found.get().getMetadata().getDeletionTimestamp() == null && ours(found.get());
    Future<Void> result = active ? reconcileActive(found.get(), id, deepCheck, run) : cleanUp(found, id, run);
    return result.onFailure(e -> {
      if (LeadershipGate.refused(e)) {
        run.info(LOG, "reconciling Gateway {} stopped: leadership was lost", id);
        return;
      }
      run.failed(LOG, "reconciling Gateway " + id, e);
      found.ifPresent(g -> events.record(g, EventRecorder.WARNING, active ? "FailedDeployModel" : "FailedCleanup",
          active ? "Failed deploy model due to " + e.getMessage() : EventRecorder.cleanupFailed(id.toString(), e)));
    });
  }

  /**
   * A GatewayClass of ours: Accepted, or Accepted=False InvalidParameters when its parametersRef cannot be used,
   * whether or not a Gateway uses it yet; no write when that is what it says already.
   */
  private Future<Void> reconcileClass(String name) {
    Optional<GatewayClass> gc = gateways.gatewayClass(name).filter(c -> ourClass(c) && c.getMetadata().getDeletionTimestamp() == null);
    return gc.map(c -> writer.classConditions(c, classConditions(c, now()))).orElse(Future.succeededFuture());
  }

  /**
   * A configuration object ("namespace/name"): its finalizer ({@link ConfigFinalizers}: added when seen, removed once it is
   * deleted and nothing uses it; while something does, it waits, reconciled again when Gateways, classes, routes or
   * Services change), then a ListenerRuleConfiguration's status.
   */
  private Future<Void> reconcileConfig(ConfigFinalizers.Kind kind, String key) {
    Optional<io.fabric8.kubernetes.api.model.GenericKubernetesResource> found = configs(kind).get(key);
    if (found.isEmpty()) {
      return Future.succeededFuture();
    }
    var c = found.get();
    ConfigFinalizers.Step step = ConfigFinalizers.step(c, kind, () -> configUsers(kind, c));
    Future<Void> finalizer = Future.succeededFuture();
    if (step instanceof ConfigFinalizers.Step.Add || step instanceof ConfigFinalizers.Step.Remove) {
      finalizer = writer.configFinalizer(c, kind.kind(), kind.finalizer(), step instanceof ConfigFinalizers.Step.Add);
    } else if (step instanceof ConfigFinalizers.Step.Wait w) {
      LOG.info("{} {} is deleted but still used by {}: its finalizer {} stays", kind.kind(), key, w.users(), kind.finalizer());
    }
    return kind == ConfigFinalizers.Kind.LISTENER_RULE && c.getMetadata().getDeletionTimestamp() == null
        ? finalizer.compose(v -> reconcileListenerRuleConfig(c)) : finalizer;
  }

  /** What uses a configuration object, as {@link ConfigFinalizers} counts. */
  private List<String> configUsers(ConfigFinalizers.Kind kind, io.fabric8.kubernetes.api.model.GenericKubernetesResource c) {
    String ns = c.getMetadata().getNamespace();
    String name = c.getMetadata().getName();
    return switch (kind) {
      case LOAD_BALANCER -> loadBalancerConfigUsers(ns, name);
      case LISTENER_RULE -> ConfigFinalizers.listenerRuleConfigUsers(ns, name, routes());
      case TARGET_GROUP -> {
        Optional<String> svc = io.albingress.gateway.TargetGroupConfigParser.parse(GatewayConfigUsers.specs(List.of(c)).get(0).spec())
            .value().service();
        Set<String> serviceUsers = svc.map(s -> usersOf(ns, s).stream().filter(id -> gateways.gateway(id.namespace(), id.name()).filter(this::ours)
            .isPresent()).map(id -> id.namespace() + "/" + id.name()).collect(Collectors.toSet())).orElse(Set.of());
        List<String> defaultUsers = svc.isPresent() ? List.of()
            : gateways.loadBalancerConfigs().list().stream().filter(l -> ns.equals(l.getMetadata().getNamespace())
                && gateways.loadBalancerConfigSpec(ns + "/" + l.getMetadata().getName())
                    .flatMap(spec -> io.albingress.gateway.LoadBalancerConfigParser.parse(spec).value().defaultTargetGroupConfiguration())
                    .filter(name::equals).isPresent()
                && !loadBalancerConfigUsers(ns, l.getMetadata().getName()).isEmpty())
              .map(l -> "LoadBalancerConfiguration " + ns + "/" + l.getMetadata().getName()).sorted().toList();
        yield ConfigFinalizers.targetGroupConfigUsers(svc.isPresent(),
            svc.flatMap(s -> informers.services(ns).stream().filter(x -> s.equals(x.getMetadata().getName())).findFirst()).isPresent(),
            serviceUsers, defaultUsers);
      }
    };
  }

  private List<String> loadBalancerConfigUsers(String ns, String name) {
    return ConfigFinalizers.loadBalancerConfigUsers(ns, name, gateways.gatewayClasses().stream().filter(this::ourClass).toList(),
        gateways.gateways().stream().filter(this::ours).toList());
  }

  /** A ListenerRuleConfiguration's status (accepted, message, observedGeneration), as the reference writes it; no write when unchanged. */
  private Future<Void> reconcileListenerRuleConfig(io.fabric8.kubernetes.api.model.GenericKubernetesResource c) {
    Map<String, Object> spec = GatewayConfigUsers.specs(List.of(c)).get(0).spec();
    ListenerRuleConfigStatus status = ListenerRuleConfigStatus.of(spec, c.getMetadata().getNamespace(),
        Objects.requireNonNullElse(c.getMetadata().getGeneration(), 0L), informers.oidcSecrets());
    return writer.listenerRuleConfigStatus(c, status.toMap(), status.sameAs(c.getAdditionalProperties().get("status")));
  }

  private List<io.fabric8.kubernetes.api.model.Condition> classConditions(GatewayClass gc, String now) {
    GatewayExtensions tgcs = new GatewayExtensions(GatewayConfigUsers.specs(gateways.targetGroupConfigs().list()), List.of());
    return GatewayStatuses.classConditions(gc, now, LoadBalancerConfigs.classProblems(gc, gateways::loadBalancerConfigSpec,
        tgcs::targetGroupConfigSpec));
  }

  private Future<Void> reconcileActive(Gateway gw, StackId id, boolean deepCheck, Reconciliation run) {
    GatewayClass gc = gateways.gatewayClass(gw.getSpec().getGatewayClassName()).orElseThrow();
    String now = now();
    return writer.addFinalizer(gc, CLASS_FINALIZER)
        .compose(v -> writer.classConditions(gc, classConditions(gc, now)))
        .compose(v -> writer.addFinalizer(gw, GATEWAY_FINALIZER))
        .compose(v -> facts())
        .compose(facts -> importCertificates(gw, id).map(certs -> Map.entry(facts, certs)))
        .compose(factsAndCerts -> {
          ClusterFacts facts = factsAndCerts.getKey();
          ImportedRefs certs = factsAndCerts.getValue();
          GatewayBuild build = builder.build(id, inputs(gw, certs.listeners()), facts);
          build.stack().errors().forEach(e -> run.info(LOG, "route {} left out: {}", e.ingress(), e.problems()));
          // a listener's certificateRefs that cannot be used: in its ResolvedRefs condition and as a Warning Event
          build.listeners().forEach(l -> l.unresolvedRefs().ifPresent(u -> events.record(gw, EventRecorder.WARNING, u.reason(),
              "listener " + l.name() + ": " + u.message())));
          // as for Ingresses: what status says, also as a Warning Event on the route (deduplicated by the recorder)
          build.routes().forEach(r -> {
            if (!r.unsupported().isEmpty()) {
              events.record(r.route(), EventRecorder.WARNING, "UnsupportedValue", "Left out of Gateway " + id.tagValue() + ": "
                  + String.join("; ", r.unsupported()));
            }
            r.unresolved().ifPresent(u -> events.record(r.route(), EventRecorder.WARNING, u.reason(), u.message() + " (its rule answers 500)"));
          });
          if (build.stack().empty()) {
            // nothing deployable (no subnets): the live ALB, if any, stays; status says why
            String why = build.notProgrammed().map(r -> r.message()).orElse("nothing to deploy");
            return writeStatus(gw, build, GatewayStatuses.Deployed.failed(why), now).compose(v -> Future.failedFuture(
                "Gateway " + id + " cannot be built: " + why + "; its AWS resources are kept until it can"));
          }
          return deploy(build, deepCheck, run)
              .compose(outcome -> releaseCertificates(id, certs.arns(), false, run).map(outcome))
              .recover(e -> writeStatus(gw, build, GatewayStatuses.Deployed.failed(e.getMessage()), now).compose(v -> Future.failedFuture(e)))
              .compose(outcome -> writeStatus(gw, build, outcome.dnsName().map(GatewayStatuses.Deployed::ok)
                  .orElse(GatewayStatuses.Deployed.failed(settings.dryRun() ? "dry run" : "no load balancer")), now)
                  .onSuccess(v -> {
                    if (outcome.changed()) {
                      events.record(gw, EventRecorder.NORMAL, "SuccessfullyReconciled", "Successfully reconciled");
                    }
                  }));
        });
  }

  /** What the listeners' certificateRefs were imported as, and the ARNs the stack keeps. */
  private record ImportedRefs(CertificateRefs.ListenerCertificates listeners, Set<String> arns) {}

  /**
   * Resolves the listeners' tls.certificateRefs and imports (or re-imports) their Secrets into ACM. In a dry run, or
   * without imports, nothing is imported: the plan shows a placeholder, or the listener is told why.
   */
  private Future<ImportedRefs> importCertificates(Gateway gw, StackId id) {
    // the listeners of its accepted ListenerSets too (merged under their own names)
    CertificateRefs.Resolution r = CertificateRefs.resolve(merged(gw), gateways.referenceGrants(),
        ref -> informers.oidcSecrets().secret(ref.namespace(), ref.name()));
    Map<String, TlsPem> pems = new java.util.LinkedHashMap<>();
    r.pems().forEach((ref, pem) -> pems.put(ref.key(), pem));
    if (settings.dryRun() || certificates.isEmpty()) {
      Map<String, String> arns = new HashMap<>();
      Map<String, String> failed = new HashMap<>();
      pems.keySet().forEach(k -> {
        if (settings.dryRun()) {
          arns.put(k, "(imported from Secret " + k + ")");
        } else {
          failed.put(k, "certificate import is not enabled");
        }
      });
      return Future.succeededFuture(new ImportedRefs(CertificateRefs.ListenerCertificates.of(r, arns, failed), Set.of()));
    }
    return certificates.get().sync(id, pems)
        .map(s -> new ImportedRefs(CertificateRefs.ListenerCertificates.of(r, s.arns(), s.failed()), Set.copyOf(s.arns().values())));
  }

  /**
   * Deletes the imports the deployed listeners no longer use. For a live Gateway a certificate ACM still sees in use
   * is left for the next reconciliation; for a Gateway being deleted that fails the cleanup, which keeps the finalizer.
   */
  private Future<Void> releaseCertificates(StackId id, Set<String> keep, boolean deleting, Reconciliation run) {
    if (settings.dryRun() || certificates.isEmpty()) {
      return Future.succeededFuture();
    }
    return certificates.get().release(id, keep).recover(e -> {
      if (deleting) {
        return Future.failedFuture(e);
      }
      run.info(LOG, "Gateway {}: {}; trying again later", id, e.getMessage());
      return Future.succeededFuture();
    });
  }

  private Future<StackDeployer.Outcome> deploy(GatewayBuild build, boolean deepCheck, Reconciliation run) {
    Stack stack = build.stack();
    if (settings.dryRun()) {
      run.info(LOG, "dry run, Gateway stack {} would be:\n{}", stack.id(), PlanText.render(new PlanReport(List.of(), List.of(stack))));
      return Future.succeededFuture(new StackDeployer.Outcome(Optional.empty(), List.of()));
    }
    return deployer.deploy(stack, build.securityGroups(), deepCheck, run)
        .compose(outcome -> deployer.backendRules(stack, build.securityGroups(), endpoints.apply(stack), deepCheck, !outcome.changed())
            .map(outcome))
        .compose(outcome -> deployed.apply(stack).map(outcome));
  }

  /** Gateway status, then every route naming it; routes that stopped naming it lose our entry. */
  private Future<Void> writeStatus(Gateway gw, GatewayBuild build, GatewayStatuses.Deployed deployed, String now) {
    List<Future<Void>> writes = new java.util.ArrayList<>();
    writes.add(writer.gatewayStatus(gw, GatewayStatuses.gateway(gw, build, deployed, now)));
    Optional<io.albingress.gateway.Attachment.Refusal> notProgrammed = GatewayStatuses.notProgrammed(build, deployed);
    build.listenerSets().forEach(s -> writes.add(writer.listenerSetStatus(s.set(), GatewayStatuses.listenerSet(s, gw, notProgrammed, now))));
    Set<String> sets = build.listenerSets().stream().map(s -> ListenerSets.key(s.set())).collect(Collectors.toSet());
    sets.addAll(missingListenerSets());
    Set<String> named = build.routes().stream().map(r -> GatewayInputs.name(r.route())).collect(Collectors.toSet());
    build.routes().forEach(r -> writes.add(writeParents(r.route(), GatewayStatuses.routeParents(r, gw, sets, now))));
    routes().stream().filter(r -> !named.contains(GatewayInputs.name(r)))
        .forEach(r -> writes.add(writeParents(r, GatewayStatuses.withoutGateway(r, gw, sets))));
    return Future.all(writes).mapEmpty();
  }

  /** Deletes the stack's AWS resources, then our route status entries and the finalizers. */
  private Future<Void> cleanUp(Optional<Gateway> gw, StackId id, Reconciliation run) {
    Stack empty = new Stack(id, List.of(), null, List.of(), List.of(), List.of(), List.of());
    Future<Void> deleted = settings.dryRun() ? Future.succeededFuture()
        : deployer.deploy(empty, Optional.empty(), false, run).compose(o -> deployed.apply(empty))
            .compose(v -> releaseCertificates(id, Set.of(), true, run));
    if (gw.isEmpty()) {
      return deleted;
    }
    Gateway g = gw.get();
    return deleted
        .compose(v -> {
          Set<String> sets = listenerSetsOf(g).stream().map(ListenerSets::key).collect(Collectors.toSet());
          sets.addAll(missingListenerSets());
          return Future.all(routes().stream().map(r -> writeParents(r, GatewayStatuses.withoutGateway(r, g, sets))).toList());
        })
        .compose(v -> releaseListenerSets(g))
        .compose(v -> writer.removeFinalizer(g, GATEWAY_FINALIZER))
        .compose(v -> releaseClass(g));
  }

  /**
   * A Gateway of ours being deleted (our finalizer still holds it): the ListenerSets naming it say so
   * ({@link GatewayStatuses#listenerSetWithoutGateway}) before the finalizer goes. A Gateway that moved to another
   * controller's class is left to that controller, which writes its ListenerSets' status.
   */
  private Future<Void> releaseListenerSets(Gateway g) {
    if (g.getMetadata().getDeletionTimestamp() == null || !GatewayWriter.hasFinalizer(g, GATEWAY_FINALIZER)) {
      return Future.succeededFuture();
    }
    String now = now();
    return Future.all(listenerSetsOf(g).stream().map(ls -> writer.listenerSetStatus(ls, GatewayStatuses.listenerSetWithoutGateway(ls, g, now)))
        .toList()).mapEmpty();
  }

  /** The class keeps its finalizer while a Gateway of ours still uses it. */
  private Future<Void> releaseClass(Gateway leaving) {
    Optional<GatewayClass> gc = gateways.gatewayClass(leaving.getSpec().getGatewayClassName());
    if (gc.isEmpty()) {
      return Future.succeededFuture();
    }
    boolean inUse = gateways.gateways().stream().anyMatch(g -> !g.getMetadata().getUid().equals(leaving.getMetadata().getUid())
        && Objects.equals(g.getSpec().getGatewayClassName(), gc.get().getMetadata().getName()) && g.getMetadata().getDeletionTimestamp() == null);
    return inUse ? Future.succeededFuture() : writer.removeFinalizer(gc.get(), CLASS_FINALIZER);
  }

  /** HTTPRoutes and GRPCRoutes (as {@link GrpcRoutes#view}s): one pipeline for both kinds. */
  List<HTTPRoute> routes() {
    List<HTTPRoute> all = new java.util.ArrayList<>(gateways.httpRoutes());
    gateways.grpcRoutes().forEach(r -> all.add(GrpcRoutes.view(r)));
    return all;
  }

  /** status.parents of the route itself: the HTTPRoute, or the GRPCRoute a view stands for. */
  private Future<Void> writeParents(HTTPRoute route, List<io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus> parents) {
    return route instanceof GrpcRoutes.View grpc ? writer.grpcRouteParents(grpc.source(), parents) : writer.routeParents(route, parents);
  }

  /** The Gateway with the listeners of the ListenerSets it accepts ({@link ListenerSets#merge}). */
  private Gateway merged(Gateway gw) {
    return ListenerSets.merge(gw, ListenerSets.of(gw, listenerSetsOf(gw), namespaceLabels(listenerSetNamespaces(gw)))).gateway();
  }

  /** The ListenerSets whose parentRef names the Gateway (accepted or not). */
  private List<ListenerSet> listenerSetsOf(Gateway gw) {
    return gateways.listenerSets().list().stream().filter(ls -> ListenerSets.namesGateway(ls, gw)).toList();
  }

  private Set<String> listenerSetNamespaces(Gateway gw) {
    return listenerSetsOf(gw).stream().map(ls -> ls.getMetadata().getNamespace()).collect(Collectors.toSet());
  }

  private Map<String, Map<String, String>> namespaceLabels(Set<String> namespaces) {
    Map<String, Map<String, String>> labels = new HashMap<>();
    namespaces.forEach(ns -> informers.namespace(ns).ifPresent(n -> labels.put(ns,
        n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels())));
    return labels;
  }

  private GatewayInputs inputs(Gateway gw, CertificateRefs.ListenerCertificates certs) {
    List<ListenerSet> sets = listenerSetsOf(gw);
    Set<String> setKeys = sets.stream().map(ListenerSets::key).collect(Collectors.toSet());
    Set<String> setRoutes = routesOfListenerSets(setKeys).stream().map(GatewayInputs::name).collect(Collectors.toSet());
    List<HTTPRoute> routes = routes().stream()
        .filter(r -> setRoutes.contains(GatewayInputs.name(r)) || (r.getSpec() != null && r.getSpec().getParentRefs() != null
            && r.getSpec().getParentRefs().stream().anyMatch(p -> Attachment.refersTo(p, r.getMetadata().getNamespace(), gw))))
        .toList();
    Set<String> namespaces = routes.stream().map(r -> r.getMetadata().getNamespace()).collect(Collectors.toSet());
    // Services of the routes' namespaces and of the namespaces their backendRefs name (ReferenceGrants decide)
    Set<String> backendNamespaces = new java.util.HashSet<>(namespaces);
    routes.forEach(r -> RouteRules.backendNamespaces(r).forEach(backendNamespaces::add));
    List<Service> services = backendNamespaces.stream().flatMap(ns -> informers.services(ns).stream()).toList();
    Set<String> labelled = new java.util.HashSet<>(namespaces);
    sets.forEach(ls -> labelled.add(ls.getMetadata().getNamespace()));
    Map<String, Map<String, String>> labels = namespaceLabels(labelled);
    GatewayExtensions extensions = new GatewayExtensions(GatewayConfigUsers.specs(gateways.targetGroupConfigs().list()),
        GatewayConfigUsers.specs(gateways.listenerRuleConfigs().list()), informers.oidcSecrets());
    return new GatewayInputs(gw, routes, services, labels, gateways.referenceGrants(), LoadBalancerConfigs.resolve(
        gateways.gatewayClass(gw.getSpec().getGatewayClassName()), gw, gateways::loadBalancerConfigSpec, extensions::targetGroupConfigSpec),
        extensions, certs, sets);
  }

  private Future<ClusterFacts> facts() {
    return Future.all(awsFacts.subnets(), awsFacts.certificates(), importedArns()).map(f -> new ClusterFacts(settings.clusterName(),
        settings.region(), settings.vpcId(), Known.of(f.resultAt(0)), Known.of(f.resultAt(1)), settings.defaultTags())
        .withoutCertificates(f.resultAt(2)));
  }

  /** The certificates imported for tls.certificateRefs (of any Gateway): never discovered for other listeners. */
  public Future<Set<String>> importedArns() {
    return settings.dryRun() || certificates.isEmpty() ? Future.succeededFuture(Set.of()) : certificates.get().arns();
  }

  /**
   * As {@link #importedArns()} from what was listed already (every Gateway reconciliation lists once per leadership), with no
   * ACM call: for Ingress stacks, whose discovery then drops an imported certificate at the latest at their next reconciliation.
   */
  public Set<String> listedImportedArns() {
    return certificates.map(ImportedCertificates::listedArns).orElse(Set.of());
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** Helpers over a route's rules. */
  private static final class RouteRules {
    static List<String> backendNamespaces(HTTPRoute r) {
      if (r.getSpec() == null || r.getSpec().getRules() == null) {
        return List.of();
      }
      return r.getSpec().getRules().stream().flatMap(rule -> rule.getBackendRefs() == null ? java.util.stream.Stream.empty()
          : rule.getBackendRefs().stream()).map(b -> b.getNamespace()).filter(Objects::nonNull).distinct().toList();
    }
  }
}
