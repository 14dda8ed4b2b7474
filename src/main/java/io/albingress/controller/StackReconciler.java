package io.albingress.controller;

import io.albingress.aws.CachedAwsFacts;
import io.albingress.deploy.Reconciliation;
import io.albingress.deploy.SecurityGroupSynthesizer;
import io.albingress.aws.LeadershipGate;
import io.albingress.deploy.StackDeployer;
import io.albingress.k8s.EventRecorder;
import io.albingress.k8s.Informers;
import io.albingress.k8s.IngressWriter;
import io.albingress.model.ClusterFacts;
import io.albingress.model.IngressClassMatcher;
import io.albingress.model.IngressGroup;
import io.albingress.model.Known;
import io.albingress.model.SecurityGroupPlan;
import io.albingress.model.Stack;
import io.albingress.model.StackId;
import io.albingress.plan.PlanText;
import io.albingress.stack.SecurityGroupPlanner;
import io.albingress.stack.StackBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconciliation of one stack: finalizers first, then the model from the informer caches, then
 * AWS, then status, Events, and finalizers of members that left. A flat chain of small steps.
 */
public final class StackReconciler {
  private static final Logger LOG = LoggerFactory.getLogger(StackReconciler.class);
  public static final String FINALIZER = "ingress.k8s.aws/resources";
  public static final String GROUP_FINALIZER_PREFIX = "group.ingress.k8s.aws/";

  /** What the controller needs to know beyond the caches. */
  public record Settings(String clusterName, String region, String vpcId, Map<String, String> defaultTags, boolean dryRun) {}

  private final Informers informers;
  private final IngressClassMatcher classes;
  private final CachedAwsFacts awsFacts;
  private final StackDeployer deployer;
  private final IngressWriter writer;
  private final EventRecorder events;
  private final Settings settings;
  private final StackBuilder builder;
  private final Function<Stack, Future<Void>> deployed;
  /** Each target group's targets, for the backend security group rules (from the targets package). */
  private final Function<Stack, SecurityGroupSynthesizer.Endpoints> endpoints;
  /** Numbers the runs of this process, for the log lines of each. */
  private final AtomicLong runs = new AtomicLong();
  private final LastGoodInputs lastGood = new LastGoodInputs();

  /** @param deployed told about every stack deployed (not in a dry run), e.g. to keep its targets in sync */
  public StackReconciler(Informers informers, IngressClassMatcher classes, CachedAwsFacts awsFacts, StackDeployer deployer,
      IngressWriter writer, EventRecorder events, Settings settings, Function<Stack, Future<Void>> deployed,
      Function<Stack, SecurityGroupSynthesizer.Endpoints> endpoints) {
    this.informers = informers;
    this.classes = classes;
    this.awsFacts = awsFacts;
    this.deployer = deployer;
    this.writer = writer;
    this.events = events;
    this.settings = settings;
    this.builder = new StackBuilder(classes, informers.oidcSecrets());
    this.deployed = deployed;
    this.endpoints = endpoints;
  }

  /** Gateway stacks go to the Gateway reconciler: one loop, one deployer, two front ends. */
  private volatile Optional<GatewayReconciler> gateways = Optional.empty();

  public void gateways(GatewayReconciler reconciler) {
    this.gateways = Optional.of(reconciler);
  }

  public static String finalizer(StackId id) {
    return id.explicitGroup() ? GROUP_FINALIZER_PREFIX + id.name() : FINALIZER;
  }

  /** The stacks the cache knows: every Ingress of ours, and every Ingress still holding one of our finalizers. */
  public Set<StackId> knownStacks() {
    Set<StackId> stacks = informers.ingresses().getStore().list().stream()
        .filter(i -> classes.isOurs(i) || hasOurFinalizer(i))
        .flatMap(i -> stacksOf(i).stream()).collect(Collectors.toSet());
    gateways.ifPresent(g -> stacks.addAll(g.knownStacks()));
    return stacks;
  }

  /** The stacks an Ingress touches: the one it belongs to, and the one its finalizer says it was in. */
  public List<StackId> stacksOf(Ingress ingress) {
    StackId current = classes.stackOf(ingress);
    List<String> finalizers = ingress.getMetadata().getFinalizers() == null ? List.of() : ingress.getMetadata().getFinalizers();
    Optional<StackId> previous = finalizers.stream().filter(f -> f.startsWith(GROUP_FINALIZER_PREFIX))
        .map(f -> StackId.group(f.substring(GROUP_FINALIZER_PREFIX.length()))).findFirst()
        .or(() -> finalizers.contains(FINALIZER)
            ? Optional.of(StackId.ingress(ingress.getMetadata().getNamespace(), ingress.getMetadata().getName())) : Optional.empty());
    return previous.filter(p -> !p.equals(current)).map(p -> List.of(current, p)).orElse(List.of(current));
  }

  public Future<Void> reconcile(StackId id, boolean deepCheck) {
    return reconcile(id, deepCheck, () -> false);
  }

  /** @param cancelled true once the run is past its bound: it then stops between steps */
  public Future<Void> reconcile(StackId id, boolean deepCheck, java.util.function.BooleanSupplier cancelled) {
    return reconcile(id, deepCheck, cancelled, () -> {});
  }

  /**
   * @param release told once AWS is deployed: the rest of the run (handing the target groups to the
   *     targets loop, the status write) does not hold one of the --max-concurrent-reconciles slots. After
   *     a restart, where every stack is verified from the caches, that hand-off is most of a run.
   */
  public Future<Void> reconcile(StackId id, boolean deepCheck, java.util.function.BooleanSupplier cancelled, Runnable release) {
    if (id.gateway()) {
      return gateways.map(g -> g.reconcile(id, deepCheck)).orElse(Future.succeededFuture());
    }
    Reconciliation run = new Reconciliation(id, runs.incrementAndGet(), cancelled);
    String finalizer = finalizer(id);
    List<Ingress> all = informers.ingresses().getStore().list();
    List<Ingress> active = all.stream().filter(i -> classes.isOurs(i) && i.getMetadata().getDeletionTimestamp() == null
        && classes.stackOf(i).equals(id)).toList();
    // by identity: the cache hands out one object per Ingress (a deep equals of every Ingress per run costs a restart dearly)
    Set<Ingress> activeSet = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    activeSet.addAll(active);
    List<Ingress> leaving = all.stream().filter(i -> IngressWriter.hasFinalizer(i, finalizer) && !activeSet.contains(i)
        && (id.explicitGroup() || id.equals(StackId.ingress(i.getMetadata().getNamespace(), i.getMetadata().getName())))).toList();
    List<Ingress> classless = leaving.stream().filter(i -> classes.classMissing(i) && i.getMetadata().getDeletionTimestamp() == null).toList();
    if (!classless.isEmpty()) {
      return holdForMissingClass(id, classless);
    }
    return Future.all(active.stream().map(i -> writer.addFinalizer(i, finalizer)).toList())
        .compose(run::going)
        .compose(v -> facts())
        .compose(run::going)
        .map(facts -> build(id, active, facts))
        .compose(built -> reportBuildErrors(built.stack(), active).compose(v -> keepWhileMembersExist(built.stack(), active))
            .compose(v -> deploy(built.stack(), SecurityGroupPlanner.plan(built.stack(), built.group(), settings.clusterName()), deepCheck, run,
                active.stream().map(IngressWriter::currentHostname).flatMap(Optional::stream).findFirst(), release))
            .compose(run::going)
            .onSuccess(outcome -> lastGood.remember(built.stack(), built.group(), built.facts()))
            .compose(outcome -> reportSuccess(built.stack(), active, outcome)))
        .compose(v -> Future.all(leaving.stream().map(i -> writer.setHostname(i, Optional.empty())
            .compose(x -> writer.removeFinalizer(i, finalizer))).toList()))
        .<Void>mapEmpty()
        .onFailure(e -> {
          if (LeadershipGate.refused(e)) {
            run.info(LOG, "reconciling stack {} stopped: leadership was lost", id);
            return;
          }
          run.failed(LOG, "reconciling stack " + id, e);
          active.forEach(i -> events.record(i, EventRecorder.WARNING, "FailedDeployModel", "Failed deploy model due to " + e.getMessage()));
          // an Ingress waiting on our finalizer shows why its deletion does not finish
          leaving.stream().filter(i -> i.getMetadata().getDeletionTimestamp() != null).forEach(i ->
              events.record(i, EventRecorder.WARNING, "FailedCleanup", EventRecorder.cleanupFailed(id.toString(), e)));
        });
  }

  /**
   * A member of ours whose IngressClass is gone: deleting a class must not delete load balancers, so
   * the stack stays as it is in AWS until the class exists again (its return triggers a run) or the
   * Ingress is deleted.
   */
  private Future<Void> holdForMissingClass(StackId id, List<Ingress> classless) {
    LOG.warn("stack {}: IngressClass of {} not found; its AWS resources are kept unchanged", id, classless.stream().map(StackReconciler::name).toList());
    classless.forEach(i -> events.record(i, EventRecorder.WARNING, "IngressClassNotFound", "IngressClass \""
        + i.getSpec().getIngressClassName() + "\" not found: the load balancer is kept unchanged until the class exists again"
        + " or this Ingress is deleted"));
    return Future.succeededFuture();
  }

  /** A build and the inputs it used. */
  private record Built(Stack stack, IngressGroup group, ClusterFacts facts) {}

  /**
   * Builds the stack; a member left out only because a Service or certificate went away for a moment
   * keeps its last deployed part (see {@link LastGoodInputs}), with a Warning Event.
   */
  private Built build(StackId id, List<Ingress> active, ClusterFacts facts) {
    IngressGroup group = new IngressGroup(id, active, services(active));
    Stack stack = builder.build(group, facts);
    Optional<LastGoodInputs.Kept> kept = lastGood.keep(stack, group, facts, builder::build);
    if (kept.isEmpty()) {
      return new Built(stack, group, facts);
    }
    kept.get().reasons().forEach((member, problems) -> active.stream().filter(i -> name(i).equals(member)).findFirst()
        .ifPresent(i -> events.record(i, EventRecorder.WARNING, "KeptLastGoodModel", "Kept the last deployed routes of this Ingress: "
            + String.join("; ", problems) + " (until it is valid again or changed)")));
    return new Built(kept.get().stack(), kept.get().group(), kept.get().facts());
  }

  private Future<ClusterFacts> facts() {
    // certificates imported for Gateway listeners' tls.certificateRefs are not discovered for Ingress hosts (as far as listed)
    return Future.all(awsFacts.subnets(), awsFacts.certificates()).map(f -> new ClusterFacts(settings.clusterName(),
        settings.region(), settings.vpcId(), Known.of(f.resultAt(0)), Known.of(f.resultAt(1)), settings.defaultTags())
        .withoutCertificates(gateways.map(GatewayReconciler::listedImportedArns).orElse(java.util.Set.of())));
  }

  /**
   * The Services the members route to (paths, default backends, forward actions), each looked up by key: never every
   * Service of their namespaces, which made a run's cost grow with the namespace (N stacks in one namespace: N x 2N).
   */
  private List<Service> services(List<Ingress> members) {
    Map<String, Service> used = new LinkedHashMap<>();
    for (Ingress member : members) {
      String ns = member.getMetadata().getNamespace();
      classes.parse(member).services().forEach(name -> informers.service(ns, name).ifPresent(s -> used.putIfAbsent(ns + "/" + name, s)));
    }
    return List.copyOf(used.values());
  }

  /**
   * Every member left out (a Service being recreated, a certificate gone) is no reason to delete a
   * live ALB: only a stack without Ingresses is deleted. The run fails and retries with backoff.
   */
  private static Future<Void> keepWhileMembersExist(Stack stack, List<Ingress> active) {
    if (stack.empty() && !active.isEmpty()) {
      return Future.failedFuture("every Ingress of stack " + stack.id() + " was left out (see the FailedBuildModel Events);"
          + " its AWS resources are kept until one is valid again or all are deleted");
    }
    return Future.succeededFuture();
  }

  private Future<StackDeployer.Outcome> deploy(Stack stack, Optional<SecurityGroupPlan> securityGroups, boolean deepCheck, Reconciliation run,
      Optional<String> statusDns, Runnable release) {
    if (settings.dryRun()) {
      String plan = PlanText.render(new io.albingress.plan.PlanReport(List.of(), stack.empty() ? List.of() : List.of(stack)));
      run.info(LOG, "dry run, stack {} would be:\n{}", stack.id(), plan);
      return Future.succeededFuture(new StackDeployer.Outcome(Optional.empty(), List.of()));
    }
    return deployer.deploy(stack, securityGroups, deepCheck, run, statusDns)
        .compose(outcome -> deployer.backendRules(stack, securityGroups, endpoints.apply(stack), deepCheck, !outcome.changed()).map(outcome))
        .onSuccess(x -> release.run())
        .compose(outcome -> deployed.apply(stack).map(outcome));
  }

  private Future<Void> reportBuildErrors(Stack stack, List<Ingress> active) {
    for (Stack.MemberError error : stack.errors()) {
      active.stream().filter(i -> name(i).equals(error.ingress())).findFirst().ifPresent(i -> events.record(i, EventRecorder.WARNING,
          "FailedBuildModel", "Failed build model: " + String.join("; ", error.problems())));
    }
    return Future.succeededFuture();
  }

  private Future<Void> reportSuccess(Stack stack, List<Ingress> active, StackDeployer.Outcome outcome) {
    List<Ingress> members = active.stream().filter(i -> stack.members().contains(name(i))).toList();
    if (settings.dryRun()) {
      members.forEach(i -> events.record(i, EventRecorder.NORMAL, "DryRun", "Dry run: stack " + stack.id() + " planned, no AWS change made"));
      return Future.succeededFuture();
    }
    return Future.all(members.stream().map(i -> {
      boolean news = outcome.changed() || !IngressWriter.currentHostname(i).equals(outcome.dnsName());
      return writer.setHostname(i, outcome.dnsName()).onSuccess(v -> {
        if (news) {
          events.record(i, EventRecorder.NORMAL, "SuccessfullyReconciled", "Successfully reconciled");
        }
      });
    }).toList()).mapEmpty();
  }

  private static String name(Ingress i) {
    return i.getMetadata().getNamespace() + "/" + i.getMetadata().getName();
  }

  private static boolean hasOurFinalizer(Ingress i) {
    List<String> f = i.getMetadata().getFinalizers();
    return f != null && f.stream().anyMatch(x -> x.equals(FINALIZER) || x.startsWith(GROUP_FINALIZER_PREFIX));
  }
}
