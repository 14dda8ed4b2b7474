package io.albingress.targets;

import io.albingress.binding.BindingChecks;
import io.albingress.binding.NodeSelector;
import io.albingress.binding.TargetGroupBinding;
import io.albingress.controller.KeyedLoop;
import io.albingress.controller.Leader;
import io.albingress.controller.ReconcilerVerticle;
import io.albingress.deploy.Elbv2;
import io.albingress.deploy.Inventory;
import io.albingress.k8s.ChangeHandler;
import io.albingress.k8s.EventRecorder;
import io.albingress.k8s.Informers;
import io.albingress.k8s.PodConditionWriter;
import io.albingress.k8s.TargetGroupBindings;
import io.albingress.model.Stack;
import io.albingress.model.StackId;
import io.albingress.model.Target;
import io.albingress.model.TargetGroup;
import io.albingress.model.Tags;
import io.albingress.model.TargetsHash;
import io.albingress.model.StackTargets;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;

/**
 * Keeps the targets of our target groups in line with the Nodes (instance mode) and EndpointSlices
 * (IP mode), and opens pod readiness gates. Stack reconciliation hands over each stack's deployed
 * target groups; Node, EndpointSlice and Pod events then lead only to register/deregister diffs of
 * the affected target groups, never to a stack rebuild. One sync per target group at a time, through
 * a {@link KeyedLoop} keyed by ARN, on this verticle's event loop.
 */
public final class TargetsVerticle extends VerticleBase implements Leader, io.albingress.deploy.StackDeployer.Creations {
  private static final Logger LOG = LoggerFactory.getLogger(TargetsVerticle.class);
  static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);
  static final Duration QUIET = Duration.ofMillis(Long.getLong("alb.targets.quietMillis", 250));
  static final Duration MAX_WAIT = Duration.ofMillis(Long.getLong("alb.targets.maxWaitMillis", 1000));
  /** How long a target group's targets stay unchanged before its {@link Tags#TARGETS_HASH} tag is written again. */
  static final Duration TAG_QUIET = Duration.ofMillis(Long.getLong("alb.targets.tagQuietMillis", 5000));

  /** Events of one target group gathered since {@code firstNanos}; {@code timer} starts its sync. */
  private record Batch(long timer, long firstNanos) {}

  /**
   * A target group to keep in sync and its owner: a deployed target group of a stack (its model), or a
   * user's target group bound by a TargetGroupBinding (its model is resolved from the Service at each sync).
   */
  record Binding(String owner, TargetGroup model, String arn, Optional<TargetGroupBinding> tgb) {
    static Binding of(StackId stack, TargetGroup model, String arn) {
      return new Binding(stackOwner(stack), model, arn, Optional.empty());
    }

    static Binding of(TargetGroupBinding tgb) {
      return new Binding(bindingOwner(tgb.key()), null, tgb.targetGroupArn(), Optional.of(tgb));
    }

    boolean ipMode() {
      return tgb.map(TargetGroupBinding::ipMode).orElseGet(() -> DesiredTargets.ipMode(model));
    }

    boolean uses(String namespace, String service) {
      return tgb.map(t -> t.namespace().equals(namespace) && t.serviceRef().name().equals(service))
          .orElseGet(() -> model.service().namespace().equals(namespace) && model.service().name().equals(service));
    }

    /** The readiness-gate condition type: the target group's name, or the binding's (as the reference names it). */
    String gateType() {
      return ReadinessGates.conditionType(tgb.map(TargetGroupBinding::name).orElseGet(() -> model.name()));
    }

    String label() {
      return tgb.map(t -> "TargetGroupBinding " + t.key() + " (target group " + BindingChecks.nameOf(t.targetGroupArn()) + ")")
          .orElseGet(() -> "target group " + model.name());
    }
  }

  static String stackOwner(StackId stack) {
    return "stack:" + stack.key();
  }

  static String bindingOwner(String key) {
    return "binding:" + key;
  }

  private final Informers informers;
  private final Inventory inventory;
  private final Elbv2 elb;
  private final EventRecorder events;
  private final TargetGroupBindings tgbs;
  private final PodConditionWriter podConditions;
  private final Function<Pod, Set<String>> expectedGates;
  private final int maxConcurrent;
  private final Duration healthRecheck;
  /** By ARN; on this verticle's context. */
  private final Map<String, Binding> bindings = new HashMap<>();
  /** The targets each target group has in AWS, as far as we know: what we applied last. */
  private final Map<String, Set<Target>> applied = new HashMap<>();
  private final Set<String> rechecks = new HashSet<>();
  /**
   * By ARN: the {@link Tags#TARGETS_HASH} tag as this process last left it (empty: none); a target group
   * missing here has the tag the inventory listed. A present tag is removed before its targets change.
   */
  private final Map<String, Optional<String>> tagged = new HashMap<>();
  /**
   * By ARN: the targets hash the stack's load balancer vouched for when the stack was bound
   * ({@link StackTargets}); dropped before the target group's targets change.
   */
  private final Map<String, String> vouched = new HashMap<>();
  /** By stack owner: the ARN of its load balancer, which carries the stack's {@link StackTargets} tag. */
  private final Map<String, String> stackLoadBalancer = new HashMap<>();
  /** By load balancer ARN: its {@link Tags#TARGETS_HASH} tag as this process knows it (empty: none). */
  private final Map<String, Optional<String>> lbTagged = new HashMap<>();
  /**
   * By load balancer ARN: the target groups its present tag covers, where this process knows them (it
   * wrote the tag, or the tag vouched for them); a target group outside them, such as one created
   * after the tag was written, changes its targets without removing the tag: a restart cannot take the
   * tag for a set it was not computed over.
   */
  private final Map<String, Set<String>> lbTagCovers = new HashMap<>();
  /** By load balancer ARN: its tag writes and removals, one after another (target groups of a stack sync in parallel). */
  private final Map<String, Future<Void>> lbTagOps = new HashMap<>();
  /** Target groups this process created without a tag and has not registered into yet: known empty. */
  private final Set<String> fresh = new HashSet<>();
  /** When each target group's targets last changed (nanoTime), for the quiet period before the tag is written. */
  private final Map<String, Long> lastChange = new HashMap<>();
  /** Target groups waiting for their tag write; read by {@link #idle} from any thread. */
  private final Set<String> tagTimers = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** Target groups whose events are being gathered before a sync, by ARN; read by {@link #idle} from any thread. */
  private final Map<String, Batch> batching = new java.util.concurrent.ConcurrentHashMap<>();
  private KeyedLoop<String> loop;
  private boolean leading;

  /** @param expectedGates the readiness-gate condition types a pod should carry now (any other of ours is stale) */
  public TargetsVerticle(Informers informers, TargetGroupBindings tgbs, Inventory inventory, Elbv2 elb, EventRecorder events,
      PodConditionWriter podConditions, Function<Pod, Set<String>> expectedGates, int maxConcurrent, Duration healthRecheck) {
    this.informers = informers;
    this.tgbs = tgbs;
    this.inventory = inventory;
    this.elb = elb;
    this.events = events;
    this.podConditions = podConditions;
    this.expectedGates = expectedGates;
    this.maxConcurrent = maxConcurrent;
    this.healthRecheck = healthRecheck;
  }

  @Override
  public Future<?> start() {
    loop = new KeyedLoop<>(vertx, context, KeyedLoop.Settings.of(maxConcurrent, RUN_TIMEOUT), this::run,
        ReconcilerVerticle::isValidationError, this::finished);
    informers.nodes().addEventHandler(ChangeHandler.of((Node old, Node now) -> onContext(() -> nodeChanged(old, now))));
    informers.endpointSlices().addEventHandler(ChangeHandler.of((EndpointSlice old, EndpointSlice now) -> onContext(() -> sliceChanged(old, now))));
    informers.pods().addEventHandler(ChangeHandler.of((Pod old, Pod now) -> onContext(() -> podChanged(old, now))));
    informers.services().addEventHandler(ChangeHandler.of((Service old, Service now) -> onContext(() -> serviceChanged(old, now))));
    tgbs.addEventHandler(ChangeHandler.of((GenericKubernetesResource old, GenericKubernetesResource now) -> onContext(() -> bindingChanged(old, now))));
    return Future.succeededFuture();
  }

  @Override
  public void lead() {
    onContext(() -> {
      leading = true;
      loop.lead(List.copyOf(bindings.keySet()));
    });
  }

  @Override
  public void stopLeading() {
    loop.stopLeading();
    onContext(() -> {
      leading = false;
      // the next leader may change targets: learn them again when we lead again
      applied.clear();
      tagged.clear();
      vouched.clear();
      lbTagged.clear();
      lbTagCovers.clear();
      lbTagOps.clear();
      fresh.clear();
      lastChange.clear();
      tagTimers.clear();
      batching.values().forEach(b -> vertx.cancelTimer(b.timer()));
      batching.clear();
    });
  }

  /**
   * A stack was deployed (or deleted, when empty): its target groups are the ones to keep in sync
   * from now on. Completes on the caller's context once they are queued here (so a caller that is
   * done and a queue that is empty mean convergence); the sync itself runs later.
   */
  public Future<Void> deployed(Stack stack) {
    Context caller = vertx.getOrCreateContext();
    String tag = stack.id().key();
    List<io.albingress.deploy.ActualLoadBalancer> lbs = inventory.loadBalancers(tag);
    Optional<io.albingress.deploy.ActualLoadBalancer> lb = lbs.size() == 1 ? Optional.of(lbs.get(0)) : Optional.empty();
    Optional<String> lbTag = lb.flatMap(l -> Optional.ofNullable(l.tags().get(Tags.TARGETS_HASH)));
    // a stack bound before by this process keeps the ARNs it was bound with (no call); else its load balancer
    // may carry the stack's targets hash: its target groups are then found by name in the listing without
    // tags, and trusted only when the tag, which names their ARNs, vouches for them
    // one turn on this context when the listing is at hand already (after a restart it is fetched on taking the lead): a
    // second turn would queue behind everything that came in meanwhile (informer events, target syncs)
    Future<Boolean> vouchedBound = onContextFuture(() -> {
      if (rebindKnown(stack, lb)) {
        return Boolean.TRUE;
      }
      if (lbTag.isEmpty() || stack.targetGroups().isEmpty()) {
        return Boolean.FALSE;
      }
      return inventory.targetGroupArnsIfListed().map(byName -> bindVouched(stack, lb.get(), byName)).orElse(null);
    }).compose(bound -> bound != null ? Future.succeededFuture(bound)
        : inventory.targetGroupArnsListed().compose(byName -> onContextFuture(() -> bindVouched(stack, lb.get(), byName))));
    return vouchedBound.compose(done -> done ? Future.<Void>succeededFuture() : ownTargetGroups(stack).compose(own -> {
      List<Binding> found = stack.targetGroups().stream().filter(tg -> own.arnByName().containsKey(tg.name()))
          .map(tg -> Binding.of(stack.id(), tg, own.arnByName().get(tg.name()))).toList();
      return onContextFuture(() -> {
        own.tags().forEach(tagged::putIfAbsent);
        loadBalancerOf(stackOwner(stack.id()), lb);
        bind(stackOwner(stack.id()), found);
        return null;
      });
    })).transform(ar -> {
      Promise<Void> back = Promise.promise();
      caller.runOnContext(x -> back.handle(ar.map((Void) null)));
      return back.future();
    });
  }

  /** A stack's target groups by name, and the targets hash tags read with them (by ARN; empty: none). */
  private record Own(Map<String, String> arnByName, Map<String, Optional<String>> tags) {}

  /**
   * The stack's target groups, ours by their tags: from the inventory when it holds every target group
   * with its tags already; else found by name in the listing without tags and their tags read (one
   * DescribeTags per 20 target groups of this stack), so a stack its load balancer does not vouch for
   * does not make a restart list every target group's tags.
   */
  private Future<Own> ownTargetGroups(Stack stack) {
    String key = stack.id().key();
    if (stack.targetGroups().isEmpty()) {
      return Future.succeededFuture(new Own(Map.of(), Map.of()));
    }
    if (inventory.targetGroupsListedWithTags()) {
      return inventory.targetGroupsLoaded().map(v -> inventory.targetGroups(key).stream()
          .collect(Collectors.toMap(tg -> tg.name(), tg -> tg.arn(), (a, b) -> a))).map(byName -> new Own(byName, Map.of()));
    }
    return inventory.targetGroupArnsListed().map(listed -> {
      // target groups this process created since the listing are in the inventory
      Map<String, String> all = new HashMap<>(listed);
      inventory.targetGroups(key).forEach(tg -> all.put(tg.name(), tg.arn()));
      return all;
    }).compose(byName -> {
      List<String> arns = stack.targetGroups().stream().map(TargetGroup::name).filter(byName::containsKey).map(byName::get).distinct().toList();
      if (arns.isEmpty()) {
        return Future.succeededFuture(new Own(Map.of(), Map.of()));
      }
      return elb.tags(arns).map(tags -> {
        Map<String, String> ours = new HashMap<>();
        Map<String, Optional<String>> hashes = new HashMap<>();
        stack.targetGroups().stream().map(TargetGroup::name).filter(byName::containsKey).forEach(name -> {
          String arn = byName.get(name);
          Map<String, String> t = tags.get(arn);
          if (t != null && inventory.cluster().equals(t.get(Tags.CLUSTER)) && StackId.keyOf(t).filter(key::equals).isPresent()) {
            ours.put(name, arn);
            hashes.put(arn, Optional.ofNullable(t.get(Tags.TARGETS_HASH)));
          }
        });
        return new Own(ours, hashes);
      });
    }).recover(e -> inventory.targetGroupsLoaded().map(v -> new Own(inventory.targetGroups(key).stream()
        .collect(Collectors.toMap(tg -> tg.name(), tg -> tg.arn(), (a, b) -> a)), Map.of())));
  }

  /**
   * Binds the stack again with the ARNs it is bound with now, when every target group it wants is
   * among them (a reconcile that changed no target group) and the inventory has no tagged listing to
   * ask: no call. On this context.
   */
  private boolean rebindKnown(Stack stack, Optional<io.albingress.deploy.ActualLoadBalancer> lb) {
    String owner = stackOwner(stack.id());
    Map<String, String> bound = new HashMap<>();
    bindings.values().stream().filter(b -> b.owner().equals(owner)).forEach(b -> bound.put(b.model().name(), b.arn()));
    // once the inventory holds every target group with its tags, it answers without a call (and knows replacements)
    if (inventory.targetGroupsListedWithTags() || bound.isEmpty() || !bound.keySet().containsAll(stack.targetGroups().stream().map(TargetGroup::name).toList())
        || lb.isEmpty() || !lb.get().arn().equals(stackLoadBalancer.get(owner))) {
      return false;
    }
    bind(owner, stack.targetGroups().stream().map(tg -> Binding.of(stack.id(), tg, bound.get(tg.name()))).toList());
    return true;
  }

  /** Binds the stack's target groups when its load balancer's tag vouches for them (on this context); false when it does not. */
  private boolean bindVouched(Stack stack, io.albingress.deploy.ActualLoadBalancer lb, Map<String, String> arnByName) {
    Map<String, String> desiredHashByName = new HashMap<>();
    stack.targetGroups().forEach(tg -> desiredHashByName.put(tg.name(), TargetsHash.of(desired(tg, Optional.empty()))));
    String owner = stackOwner(stack.id());
    Optional<String> lbTag = lbTag(lb.arn(), lb.tags());
    Optional<Map<String, String>> vouch = StackTargets.vouched(desiredHashByName, arnByName, lbTag);
    if (vouch.isEmpty()) {
      return false;
    }
    loadBalancerOf(owner, Optional.of(lb));
    lbTagCovers.put(lb.arn(), Set.copyOf(vouch.get().keySet()));
    vouch.get().forEach((arn, hash) -> {
      if (!applied.containsKey(arn)) {
        vouched.put(arn, hash);
      }
    });
    bind(owner, stack.targetGroups().stream().map(tg -> Binding.of(stack.id(), tg, arnByName.get(tg.name()))).toList());
    return true;
  }

  /** The stack's load balancer, whose targets hash tag is known from now on (this process's own knowledge first). */
  private void loadBalancerOf(String owner, Optional<io.albingress.deploy.ActualLoadBalancer> lb) {
    if (lb.isEmpty()) {
      stackLoadBalancer.remove(owner);
      return;
    }
    stackLoadBalancer.put(owner, lb.get().arn());
    lbTagged.putIfAbsent(lb.get().arn(), Optional.ofNullable(lb.get().tags().get(Tags.TARGETS_HASH)));
  }

  private Optional<String> lbTag(String lbArn, Map<String, String> listedTags) {
    Optional<String> known = lbTagged.get(lbArn);
    return known != null ? known : Optional.ofNullable(listedTags.get(Tags.TARGETS_HASH));
  }

  private <T> Future<T> onContextFuture(java.util.function.Supplier<T> action) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> {
      try {
        done.complete(action.get());
      } catch (RuntimeException e) {
        done.fail(e);
      }
    });
    return done.future();
  }

  /**
   * Registers the targets of a target group that replaces another, now, before the rules switch to
   * it; from then on it is kept in sync like the others. Completes on the caller's context when the
   * targets are registered (nothing is done when not leading).
   */
  public Future<Void> registerNow(StackId stack, TargetGroup model, String arn) {
    Context caller = vertx.getOrCreateContext();
    Promise<Void> done = Promise.promise();
    onContext(() -> {
      if (!leading) {
        caller.runOnContext(x -> done.complete());
        return;
      }
      Binding b = Binding.of(stack, model, arn);
      bindings.put(arn, b);
      sync(b).onComplete(ar -> caller.runOnContext(x -> done.handle(ar)));
    });
    return done.future();
  }

  /** No target group waits or syncs, and no targets hash waits to be written. */
  public boolean idle() {
    return loop != null && loop.idle() && batching.isEmpty() && tagTimers.isEmpty();
  }

  private void bind(String owner, List<Binding> current) {
    assert loop.onContext() : "targets state touched off its context";
    Set<String> keep = current.stream().map(Binding::arn).collect(Collectors.toSet());
    List<Binding> gone = bindings.values().stream().filter(b -> b.owner().equals(owner) && !keep.contains(b.arn())).toList();
    gone.forEach(b -> bindings.remove(b.arn()));
    // pods may still wait on a removed target group's gate: open those no Ingress wants any more
    gone.stream().filter(Binding::ipMode)
        .flatMap(b -> informers.podsGatedBy(b.gateType()).stream())
        .distinct().forEach(this::openStaleGates);
    applied.keySet().retainAll(bindings.keySet());
    // tagged is kept: the inventory's copy of a target group's tags may predate our own changes of the tag
    lastChange.keySet().retainAll(bindings.keySet());
    // a stack just deployed needs its targets now: only event bursts are gathered (enqueue)
    current.forEach(b -> {
      bindings.put(b.arn(), b);
      loop.add(b.arn());
    });
  }

  // ---- events: each enqueues only the target groups it can affect

  /**
   * A TargetGroupBinding came, changed or went. The controller never creates or deletes its target
   * group: it syncs the targets, and on deletion (finalizer) deregisters them.
   */
  private void bindingChanged(GenericKubernetesResource old, GenericKubernetesResource now) {
    if (now == null) {
      bind(bindingOwner(TargetGroupBindings.read(old).key()), List.of());
      return;
    }
    TargetGroupBinding tgb = TargetGroupBindings.read(now);
    String owner = bindingOwner(tgb.key());
    if (tgb.targetGroupArn().isEmpty()) {
      events.record(now, EventRecorder.WARNING, "InvalidTargetGroupBinding",
          "spec.targetGroupARN is not set (the mutating webhook resolves spec.targetGroupName); nothing is registered");
      bind(owner, List.of());
      return;
    }
    Binding other = bindings.get(tgb.targetGroupArn());
    if (other != null && !other.owner().equals(owner)) {
      events.record(now, EventRecorder.WARNING, "TargetGroupAlreadyBound", "target group " + tgb.targetGroupArn()
          + " already gets its targets from " + other.label() + "; bind another target group");
      bind(owner, List.of());
      return;
    }
    if (tgb.deleting() && !TargetGroupBindings.hasFinalizer(now)) {
      bind(owner, List.of());
      return;
    }
    bind(owner, List.of(Binding.of(tgb)));
  }

  /** A Service's ports (NodePort, target port) decide the targets of the bindings that use it. */
  private void serviceChanged(Service old, Service now) {
    if (sameVersion(old, now)) {
      return;
    }
    Service svc = now != null ? now : old;
    enqueueWhere(b -> b.tgb().isPresent() && b.uses(svc.getMetadata().getNamespace(), svc.getMetadata().getName()));
  }

  private void nodeChanged(Node old, Node now) {
    if (old != null && now != null && DesiredTargets.NodeView.of(old).equals(DesiredTargets.NodeView.of(now))) {
      return;
    }
    enqueueWhere(b -> !b.ipMode());
  }

  private void sliceChanged(EndpointSlice old, EndpointSlice now) {
    if (sameVersion(old, now)) {
      return;
    }
    EndpointSlice slice = now != null ? now : old;
    String service = Objects.requireNonNullElse(slice.getMetadata().getLabels(), Map.<String, String>of()).get(Informers.SERVICE_NAME_LABEL);
    String namespace = slice.getMetadata().getNamespace();
    enqueueWhere(b -> b.ipMode() && b.uses(namespace, service));
  }

  /** A pod whose gate is still closed: its target group has to look at the pod's health. */
  private void podChanged(Pod old, Pod now) {
    if (now == null || sameVersion(old, now)) {
      return;
    }
    Set<String> waiting = ReadinessGates.gates(now).stream().filter(t -> ReadinessGates.waiting(now, t)).collect(Collectors.toSet());
    if (!waiting.isEmpty()) {
      enqueueWhere(b -> waiting.contains(b.gateType()));
      openStaleGates(now);
    }
  }

  /**
   * Gates of ours that no Ingress asks for any more (the Ingress was deleted while the pod waited) are
   * set True, so the pod does not hang; only the leader writes.
   */
  private void openStaleGates(Pod pod) {
    if (!leading) {
      return;
    }
    Set<String> expected = expectedGates.apply(pod);
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    ReadinessGates.gates(pod).stream().filter(t -> ReadinessGates.waiting(pod, t) && !expected.contains(t))
        .forEach(t -> {
          LOG.info("pod {}/{}: readiness gate {} is stale, setting it True", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), t);
          podConditions.write(pod, ReadinessGates.stale(t, now))
              .onFailure(e -> LOG.warn("opening the stale gate {} of pod {} failed: {}", t, pod.getMetadata().getName(), e.getMessage()));
        });
  }

  private static boolean sameVersion(HasMetadata old, HasMetadata now) {
    return old != null && now != null && Objects.equals(old.getMetadata().getResourceVersion(), now.getMetadata().getResourceVersion());
  }

  private void enqueueWhere(Predicate<Binding> affected) {
    bindings.values().stream().filter(affected).map(Binding::arn).forEach(this::enqueue);
  }

  // ---- the loop

  /**
   * A target group's sync waits until its events pause for {@link #QUIET} (at most {@link #MAX_WAIT}
   * after the first): a rolling update moves pods one by one, and each pod would otherwise cost its
   * own RegisterTargets and DeregisterTargets.
   */
  private void enqueue(String arn) {
    long now = System.nanoTime();
    Batch batch = batching.get(arn);
    if (batch != null) {
      vertx.cancelTimer(batch.timer());
    }
    long first = batch == null ? now : batch.firstNanos();
    long delay = Math.max(1, Math.min(QUIET.toMillis(), MAX_WAIT.toMillis() - (now - first) / 1_000_000));
    batching.put(arn, new Batch(vertx.setTimer(delay, t -> {
      batching.remove(arn);
      loop.add(arn);
    }), first));
  }

  /** A target group that left its stack meanwhile needs nothing more. */
  private Future<Void> run(String arn) {
    assert loop.onContext() : "targets state touched off its context";
    Binding binding = bindings.get(arn);
    return binding == null ? Future.succeededFuture() : sync(binding);
  }

  private void finished(KeyedLoop.Outcome<String> outcome) {
    if (outcome.result().failed()) {
      Binding binding = bindings.get(outcome.key());
      LOG.warn("syncing the targets of {} failed: {}", binding == null ? outcome.key() : binding.label(),
          outcome.result().cause().getMessage());
    }
  }

  // ---- one sync: desired from the caches, diff against what AWS holds, then readiness gates

  private Future<Void> sync(Binding b) {
    if (b.tgb().isPresent()) {
      return syncBinding(b);
    }
    Set<Target> desired = desired(b.model(), Optional.empty());
    return actual(b.arn(), knownByTag(b.arn(), desired))
        .compose(actual -> apply(b, TargetChanges.between(desired, actual), desired))
        .compose(v -> openGates(b))
        .compose(v -> writeTagWhenQuiet(b));
  }

  /**
   * Asked by the deployer before it creates a target group of a stack: one that gets targets at once is
   * created without the targets hash (it would have to be removed before the first registration).
   * Reads the caches only (no Events).
   */
  @Override
  public boolean expectsTargets(TargetGroup tg) {
    if (DesiredTargets.ipMode(tg)) {
      return !DesiredTargets.ips(tg, servicePortName(tg), informers.endpointSlices(tg.service().namespace(), tg.service().name()),
          pod -> false).isEmpty();
    }
    return !DesiredTargets.instances(tg, informers.nodes().getStore().list(), Optional.empty()).targets().isEmpty();
  }

  /** A target group the deployer just created without the tag: empty, no DescribeTargetHealth needed. */
  @Override
  public void createdUntagged(String arn) {
    onContext(() -> fresh.add(arn));
  }

  // ---- the targets hash tag (stack target groups only; a TargetGroupBinding's group is the user's)

  /**
   * What the tag says is registered, when it says something we can use: nothing (a new target group),
   * or exactly the desired targets. Only asked when this process does not know the targets yet.
   */
  private Optional<Set<Target>> knownByTag(String arn, Set<Target> desired) {
    if (applied.containsKey(arn)) {
      return Optional.empty();
    }
    if (fresh.contains(arn)) {
      return Optional.of(Set.of());
    }
    Optional<String> tag = Optional.ofNullable(vouched.get(arn)).or(() -> tag(arn));
    if (tag.isEmpty()) {
      return Optional.empty();
    }
    if (tag.get().equals(TargetsHash.EMPTY)) {
      return Optional.of(Set.of());
    }
    return tag.get().equals(TargetsHash.of(desired)) ? Optional.of(desired) : Optional.empty();
  }

  /** The target group's own tag; unknown (found without its tags) counts as present. */
  private Optional<String> tag(String arn) {
    Optional<String> known = tagged.get(arn);
    if (known != null) {
      return known;
    }
    return inventory.targetGroup(arn).map(tg -> Optional.ofNullable(tg.tags().get(Tags.TARGETS_HASH))).orElse(Optional.of("unknown"));
  }

  /**
   * Before targets change: a tag that would say otherwise goes first, the stack's on its load balancer
   * and the target group's own (a crash meanwhile leaves no false tag).
   */
  private Future<Void> removeTag(Binding b) {
    if (b.tgb().isPresent()) {
      return Future.succeededFuture();
    }
    vouched.remove(b.arn());
    Future<Void> stackTag = removeStackTag(b.owner(), b.arn());
    if (tag(b.arn()).isEmpty()) {
      return stackTag;
    }
    return stackTag.compose(v -> elb.removeTags(b.arn(), List.of(Tags.TARGETS_HASH))).onSuccess(v -> tagged.put(b.arn(), Optional.empty()));
  }

  private Future<Void> removeStackTag(String owner, String targetGroupArn) {
    String lbArn = stackLoadBalancer.get(owner);
    if (lbArn == null) {
      return Future.succeededFuture();
    }
    return onLoadBalancerTag(lbArn, () -> {
      Set<String> covers = lbTagCovers.get(lbArn);
      if (lbTagged.getOrDefault(lbArn, Optional.of("unknown")).isEmpty() || covers != null && !covers.contains(targetGroupArn)) {
        return Future.succeededFuture();
      }
      // a load balancer that is gone carries no tag
      return elb.removeTags(lbArn, List.of(Tags.TARGETS_HASH))
          .recover(e -> io.albingress.deploy.AwsFailure.is(e, io.albingress.deploy.AwsFailure.Kind.NOT_FOUND) ? Future.succeededFuture() : Future.failedFuture(e))
          .onSuccess(v -> {
            lbTagged.put(lbArn, Optional.empty());
            lbTagCovers.remove(lbArn);
          });
    });
  }

  /** The load balancer's tag changes one after another, each deciding when its turn comes (on this context). */
  private Future<Void> onLoadBalancerTag(String lbArn, java.util.function.Supplier<Future<Void>> op) {
    Future<Void> before = lbTagOps.getOrDefault(lbArn, Future.succeededFuture());
    Promise<Void> turn = Promise.promise();
    before.onComplete(ar -> onContext(() -> op.get().onComplete(turn)));
    Future<Void> next = turn.future();
    lbTagOps.put(lbArn, next);
    next.onComplete(ar -> onContext(() -> lbTagOps.remove(lbArn, next)));
    return next;
  }

  /**
   * Once every target group of the stack has been as applied for {@link #TAG_QUIET}, the stack's hash
   * ({@link StackTargets}) is written on its load balancer (one AddTags per burst of changes, not per
   * change nor per target group); until then a timer brings the target group back here. Decided when
   * its turn among the load balancer's tag changes comes, so a removal queued before it wins.
   */
  private Future<Void> writeTagWhenQuiet(Binding b) {
    String arn = b.arn();
    String lbArn = stackLoadBalancer.get(b.owner());
    if (b.tgb().isPresent() || lbArn == null || !applied.containsKey(arn) || !leading || !bindings.containsKey(arn)) {
      return Future.succeededFuture();
    }
    return onLoadBalancerTag(lbArn, () -> {
      if (!leading || !lbArn.equals(stackLoadBalancer.get(b.owner()))) {
        return Future.succeededFuture();
      }
      Map<String, String> hashes = new HashMap<>();
      long waitMillis = 0;
      for (Binding m : bindings.values()) {
        if (!m.owner().equals(b.owner())) {
          continue;
        }
        Set<Target> known = applied.get(m.arn());
        if (known == null) {
          return Future.succeededFuture(); // its own sync comes back here
        }
        hashes.put(m.arn(), TargetsHash.of(known));
        Long changed = lastChange.get(m.arn());
        if (changed != null) {
          waitMillis = Math.max(waitMillis, TAG_QUIET.toMillis() - (System.nanoTime() - changed) / 1_000_000);
        }
      }
      String hash = StackTargets.of(hashes);
      if (lbTagged.getOrDefault(lbArn, Optional.empty()).filter(hash::equals).isPresent()) {
        return Future.succeededFuture();
      }
      if (waitMillis > 0) {
        if (tagTimers.add(arn)) {
          vertx.setTimer(waitMillis + 1, t -> {
            tagTimers.remove(arn);
            if (leading && bindings.containsKey(arn)) {
              loop.add(arn);
            }
          });
        }
        return Future.succeededFuture();
      }
      // an AddTags with an unknown outcome leaves a tag that is true either way (present: removed before the next change)
      lbTagged.put(lbArn, Optional.of(hash));
      lbTagCovers.put(lbArn, Set.copyOf(hashes.keySet()));
      return elb.addTags(lbArn, Map.of(Tags.TARGETS_HASH, hash));
    });
  }

  /**
   * A TargetGroupBinding: finalizer first, then the same diff as for our own target groups, then the
   * observed generation. Deleting: every target of the group is deregistered (the group is the
   * binding's alone), the group itself is kept, and the finalizer goes.
   */
  private Future<Void> syncBinding(Binding b) {
    TargetGroupBinding tgb = b.tgb().get();
    Optional<GenericKubernetesResource> object = tgbs.get(tgb.key());
    if (object.isEmpty()) {
      return Future.succeededFuture();
    }
    GenericKubernetesResource resource = object.get();
    if (tgb.deleting()) {
      return cleanup(b, resource);
    }
    BindingTargets.Resolution resolved = BindingTargets.resolve(tgb, informers.service(tgb.namespace(), tgb.serviceRef().name()));
    if (resolved.model().isEmpty()) {
      events.record(resource, EventRecorder.WARNING, "BackendNotFound", resolved.problem() + "; its targets are deregistered");
    }
    Set<Target> desired = resolved.model().map(tg -> desired(tg, tgb.nodeSelector())).orElse(Set.of());
    boolean newGeneration = TargetGroupBindings.observedGeneration(resource) != tgb.generation();
    return tgbs.addFinalizer(resource)
        .compose(v -> actual(b.arn()))
        .compose(actual -> apply(b, TargetChanges.between(desired, actual), desired))
        .compose(v -> openGates(b))
        .compose(v -> tgbs.writeObservedGeneration(resource))
        .onSuccess(v -> {
          if (newGeneration && resolved.model().isPresent()) {
            events.record(resource, EventRecorder.NORMAL, "SuccessfullyReconciled", "Successfully reconciled generation " + tgb.generation());
          }
        })
        .onFailure(e -> events.record(resource, EventRecorder.WARNING, "FailedRegisterTargets", "syncing the targets of target group "
            + tgb.targetGroupArn() + " failed: " + e.getMessage()));
  }

  private Future<Void> cleanup(Binding b, GenericKubernetesResource resource) {
    if (!TargetGroupBindings.hasFinalizer(resource)) {
      return Future.succeededFuture();
    }
    return elb.targetHealth(b.arn())
        .compose(all -> {
          List<Target> registered = all.stream()
              .filter(t -> t.targetHealth() == null || t.targetHealth().state() != TargetHealthStateEnum.DRAINING)
              .map(t -> new Target(t.target().id(), t.target().port())).sorted(java.util.Comparator.comparing(Target::id)).toList();
          if (!registered.isEmpty()) {
            LOG.info("{} is being deleted: deregistering its {} targets; the target group is kept", b.label(), registered.size());
          }
          applied.remove(b.arn());
          return elb.deregisterTargets(b.arn(), registered);
        })
        .compose(v -> tgbs.removeFinalizer(resource))
        .onSuccess(v -> {
          bind(b.owner(), List.of());
          events.record(resource, EventRecorder.NORMAL, "TargetsDeregistered", "targets deregistered from target group "
              + b.arn() + "; the target group is kept");
        })
        .onFailure(e -> events.record(resource, EventRecorder.WARNING, "FailedDeregisterTargets", "deregistering the targets of target group "
            + b.arn() + " failed: " + e.getMessage() + "; retrying"));
  }

  private Set<Target> desired(TargetGroup tg, Optional<NodeSelector> selector) {
    if (DesiredTargets.ipMode(tg)) {
      String ns = tg.service().namespace();
      Set<String> gated = informers.podsGatedBy(ReadinessGates.conditionType(tg.name())).stream()
          .filter(ReadinessGates::waitsOnlyOnGates).map(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName()).collect(Collectors.toSet());
      return DesiredTargets.ips(tg, servicePortName(tg), informers.endpointSlices(ns, tg.service().name()), gated::contains);
    }
    DesiredTargets.Instances instances = DesiredTargets.instances(tg, informers.nodes().getStore().list(), selector);
    // the recorder drops repeats, so a node without an instance ID is reported once in a while, not per sync
    instances.unusable().forEach(n -> events.record(n, EventRecorder.WARNING, "NodeNotRegistered",
        "Node is not registered with load balancer target groups: spec.providerID \"" + Objects.requireNonNullElse(n.getSpec().getProviderID(), "")
            + "\" names no EC2 instance (expected aws:///<zone>/<instance-id>)"));
    return instances.targets();
  }

  /** EndpointSlice ports carry the Service port's name. */
  private String servicePortName(TargetGroup tg) {
    return informers.service(tg.service().namespace(), tg.service().name())
        .flatMap(svc -> svc.getSpec().getPorts().stream().filter(p -> p.getPort() == tg.service().servicePort()).findFirst())
        .map(ServicePort::getName).orElse("");
  }

  /**
   * What we applied last; the first time after start (or after an unknown outcome), what the targets
   * hash tag says, else what AWS reports.
   */
  private Future<Set<Target>> actual(String arn, Optional<Set<Target>> byTag) {
    Set<Target> known = applied.get(arn);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    if (byTag.isPresent()) {
      return Future.succeededFuture(byTag.get());
    }
    return actual(arn);
  }

  private Future<Set<Target>> actual(String arn) {
    Set<Target> known = applied.get(arn);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    // draining targets are on their way out: if desired again, registering them again keeps them
    return elb.targetHealth(arn).map(all -> all.stream()
        .filter(t -> t.targetHealth() == null || t.targetHealth().state() != TargetHealthStateEnum.DRAINING)
        .map(t -> new Target(t.target().id(), t.target().port())).collect(Collectors.toSet()));
  }

  /** Registers first, so a target group is never emptier than it has to be; at most 500 targets a call. */
  private Future<Void> apply(Binding b, TargetChanges changes, Set<Target> desired) {
    if (changes.none()) {
      remember(b.arn(), desired);
      return Future.succeededFuture();
    }
    LOG.info("{}: registering {} targets, deregistering {}", b.label(), changes.register().size(),
        changes.deregister().size());
    applied.remove(b.arn());
    fresh.remove(b.arn());
    lastChange.put(b.arn(), System.nanoTime());
    return removeTag(b).compose(v -> TargetWrites.apply(elb, b.arn(), changes.register(), changes.deregister())).map(refused -> {
      if (refused.isEmpty()) {
        remember(b.arn(), desired);
        return null;
      }
      // the others are in; the refused ones are not remembered, so the recheck registers them again, on their own
      Set<Target> in = new HashSet<>(desired);
      in.removeAll(refused);
      remember(b.arn(), in);
      reportRefused(b, refused);
      recheckLater(b.arn());
      return null;
    });
  }

  /** A Warning Event on the target group's Service for each refused target. */
  private void reportRefused(Binding b, Set<Target> refused) {
    LOG.warn("target group {}: ELBv2 refused targets {} (InvalidTarget); the others are registered", b.model().name(), refused);
    informers.service(b.model().service().namespace(), b.model().service().name()).ifPresent(svc -> refused.forEach(t ->
        events.record(svc, EventRecorder.WARNING, "FailedRegisterTarget", "Target " + t.id() + ":" + t.port() + " was refused by target group "
            + b.model().name() + " (InvalidTarget: e.g. a terminated instance or an IP outside the VPC); it is retried on its own")));
  }

  /** Not for a target group that left meanwhile, nor after leadership was lost (the next leader may change it). */
  private void remember(String arn, Set<Target> targets) {
    if (leading && bindings.containsKey(arn)) {
      applied.put(arn, targets);
    }
  }

  /**
   * Sets the readiness-gate condition of pods that wait on this target group, from its target
   * health. Only target groups someone waits on are described; an unhealthy target is looked at
   * again after a while.
   */
  private Future<Void> openGates(Binding b) {
    String type = b.gateType();
    List<Pod> waiting = b.ipMode()
        ? informers.podsGatedBy(type).stream().filter(p -> ReadinessGates.waiting(p, type)).toList() : List.of();
    if (waiting.isEmpty()) {
      return Future.succeededFuture();
    }
    return elb.targetHealth(b.arn()).compose(all -> {
      Map<String, ReadinessGates.Health> byIp = new HashMap<>();
      all.forEach(t -> byIp.put(t.target().id(), health(t)));
      String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
      List<Future<Void>> writes = new ArrayList<>();
      for (Pod pod : waiting) {
        // a pod not registered (yet) comes back with its EndpointSlice
        ReadinessGates.Health health = pod.getStatus() == null ? null : byIp.get(pod.getStatus().getPodIP());
        if (health != null) {
          if (!health.healthy()) {
            recheckLater(b.arn());
          }
          ReadinessGates.update(pod, type, health, now).ifPresent(c -> writes.add(podConditions.write(pod, c)));
        }
      }
      return Future.all(writes).mapEmpty();
    });
  }

  private static ReadinessGates.Health health(TargetHealthDescription t) {
    var h = t.targetHealth();
    return h == null ? new ReadinessGates.Health("unknown", null, null)
        : new ReadinessGates.Health(h.stateAsString(), h.reasonAsString(), h.description());
  }

  private void recheckLater(String arn) {
    if (rechecks.add(arn)) {
      vertx.setTimer(healthRecheck.toMillis(), t -> {
        rechecks.remove(arn);
        enqueue(arn);
      });
    }
  }

  private void onContext(Runnable action) {
    context.runOnContext(v -> action.run());
  }
}
