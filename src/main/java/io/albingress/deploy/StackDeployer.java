package io.albingress.deploy;

import io.albingress.model.Listener;
import io.albingress.model.SecurityGroupPlan;
import io.albingress.model.ListenerRule;
import io.albingress.model.LoadBalancer;
import io.albingress.model.Ref;
import io.albingress.model.Stack;
import io.albingress.model.StackId;
import io.albingress.model.Tags;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes AWS match a desired stack: target groups and the load balancer, then listeners and rules,
 * then surplus target groups and the load balancer's tags; deletions in reverse. Each step is one
 * synthesizer and hands its result to the next. An unchanged stack (model hash on the load balancer
 * matches) costs no call at all, and a change that leaves the listeners and rules as this process
 * last applied them (a health check, a tag) does not read them again; the periodic deep check still
 * compares everything. New kinds are new synthesizers of the same shape, placed by what they refer
 * to: security groups before the load balancer, WAF and Shield after the rules.
 */
public final class StackDeployer {
  private static final Logger LOG = LoggerFactory.getLogger(StackDeployer.class);
  public static final String CHANGES = "alb_aws_resource_changes_total";
  private static final Ref LOAD_BALANCER = Ref.to(LoadBalancerSynth.KIND, LoadBalancer.RESOURCE_ID);

  /** Where the stack stands after deploy: the DNS name for Ingress status, and what was done (empty: nothing compared). */
  public record Outcome(Optional<String> dnsName, List<Change> changes) {
    public boolean changed() {
      return changes.stream().anyMatch(Change::changed);
    }
  }

  /** A deployment in progress: the load balancer and the ARNs resolved so far, and the changes made. */
  private record Progress(ActualLoadBalancer loadBalancer, boolean newLoadBalancer, Refs refs, List<Change> changes) {
    Progress plus(List<Change> more) {
      return new Progress(loadBalancer, newLoadBalancer, refs.with(more), Change.concat(changes, more));
    }

    Progress withRefs(Refs resolved) {
      return new Progress(loadBalancer, newLoadBalancer, resolved, changes);
    }
  }

  /**
   * Registers the targets of a target group before any rule forwards to it (an immutable change
   * replaces a target group: traffic must never meet the new one empty). Implemented by the targets
   * package; completes when the registration is done.
   */
  @FunctionalInterface
  public interface TargetRegistration {
    Future<Void> registerNow(io.albingress.model.StackId stack, io.albingress.model.TargetGroup model, String arn);
  }

  /**
   * Who fills new target groups: whether one will get targets at once (then it is created without the
   * targets hash tag, which would have to be removed before the first registration), and which ones
   * were created without it (known empty, for this process only).
   */
  public interface Creations {
    Creations NONE = new Creations() {
      @Override
      public boolean expectsTargets(io.albingress.model.TargetGroup tg) {
        return false;
      }

      @Override
      public void createdUntagged(String arn) {}
    };

    boolean expectsTargets(io.albingress.model.TargetGroup tg);

    void createdUntagged(String arn);
  }

  /**
   * @param registerFirst see {@link TargetRegistration}
   * @param sleep a timer: the in-place retries of a target group deletion answered ResourceInUse wait on it
   */
  public record Hooks(TargetRegistration registerFirst, java.util.function.Function<java.time.Duration, Future<Void>> sleep,
      Creations creations) {
    /** No registration before the switch, retries without waiting (tests). */
    public static final Hooks NONE = new Hooks((stack, model, arn) -> Future.succeededFuture(), d -> Future.succeededFuture());

    /** Every new target group is taken to stay empty (tagged so), nobody is told of creates. */
    public Hooks(TargetRegistration registerFirst, java.util.function.Function<java.time.Duration, Future<Void>> sleep) {
      this(registerFirst, sleep, Creations.NONE);
    }
  }

  private final Elbv2 elb;
  private final Inventory inventory;
  private final Hooks hooks;
  private final MeterRegistry registry;
  private final TargetGroupSynth targetGroups;
  private final LoadBalancerSynth loadBalancers;
  private final ListenerSynth listeners;
  private final RuleSynth rules;
  private final TagSynth tags;
  private final LoadBalancerAddOns addOns;
  private final Optional<SecurityGroupSynthesizer> securityGroups;
  private final OwnedCreates owned;
  /** What this process last applied per stack: listeners and rules, and model hashes applied without their tag. */
  private final AppliedMemory applied = new AppliedMemory();

  public StackDeployer(Elbv2 elb, Inventory inventory, String vpcId, MeterRegistry registry, LoadBalancerAddOns addOns) {
    this(elb, inventory, vpcId, registry, addOns, Optional.empty());
  }

  /** @param securityGroups absent: load balancers get the groups the annotation names, or EC2's default */
  public StackDeployer(Elbv2 elb, Inventory inventory, String vpcId, MeterRegistry registry, LoadBalancerAddOns addOns,
      Optional<SecurityGroupSynthesizer> securityGroups) {
    this(elb, inventory, vpcId, registry, addOns, securityGroups, Set.of());
  }

  /** @param externalManagedTags tag keys other tools manage: never set nor removed */
  public StackDeployer(Elbv2 elb, Inventory inventory, String vpcId, MeterRegistry registry, LoadBalancerAddOns addOns,
      Optional<SecurityGroupSynthesizer> securityGroups, Set<String> externalManagedTags) {
    this(elb, inventory, vpcId, registry, addOns, securityGroups, externalManagedTags, Hooks.NONE);
  }

  public StackDeployer(Elbv2 elb, Inventory inventory, String vpcId, MeterRegistry registry, LoadBalancerAddOns addOns,
      Optional<SecurityGroupSynthesizer> securityGroups, Set<String> externalManagedTags, Hooks hooks) {
    this.elb = elb;
    this.inventory = inventory;
    this.registry = registry;
    this.hooks = hooks;
    this.targetGroups = new TargetGroupSynth(elb, inventory, vpcId, externalManagedTags, hooks.sleep(), hooks.creations());
    this.loadBalancers = new LoadBalancerSynth(elb, inventory);
    this.listeners = new ListenerSynth(elb);
    this.rules = new RuleSynth(elb);
    this.tags = new TagSynth(elb, externalManagedTags);
    this.addOns = addOns;
    this.securityGroups = securityGroups;
    this.owned = new OwnedCreates(elb, inventory);
  }

  /** @param deepCheck compare every resource even when the model hash matches (periodic drift check) */
  public Future<Outcome> deploy(Stack stack, boolean deepCheck, Reconciliation run) {
    return deploy(stack, Optional.empty(), deepCheck, run);
  }

  /** @param plan the stack's security groups; the hash covers it, since inbound-cidrs and prefix lists are not in the stack */
  public Future<Outcome> deploy(Stack stack, Optional<SecurityGroupPlan> plan, boolean deepCheck, Reconciliation run) {
    return deploy(stack, plan, deepCheck, run, Optional.empty());
  }

  /** @param statusDns the DNS name the Ingress status shows: among duplicate load balancers of the stack, that one is kept */
  public Future<Outcome> deploy(Stack stack, Optional<SecurityGroupPlan> plan, boolean deepCheck, Reconciliation run, Optional<String> statusDns) {
    String stackTag = stack.id().key();
    Optional<SecurityGroupPlan> groups = plan.filter(p -> securityGroups.isPresent());
    if (stack.empty()) {
      return inventory.loadBalancersLoaded().compose(v -> delete(stackTag)).map(changes -> report(run, changes, Optional.empty()));
    }
    // the security-group plan holds what the stack does not (inbound-cidrs, prefix lists)
    String hash = groups.isEmpty() ? ModelHash.of(stack) : ModelHash.of(java.util.Arrays.asList(stack, groups.get()));
    return inventory.loadBalancersLoaded().compose(v -> {
      List<ActualLoadBalancer> current = LoadBalancerSynth.keptFirst(inventory.loadBalancers(stackTag), stack.loadBalancer(), statusDns);
      String tagged = current.size() == 1 ? current.get(0).tags().get(Tags.MODEL_HASH) : null;
      if (!deepCheck && tagged != null && (hash.equals(tagged) || applied.untaggedIs(stackTag, hash))) {
        return Future.succeededFuture(new Outcome(Optional.of(current.get(0).dnsName()), List.of()));
      }
      return inventory.targetGroupsLoaded()
          .map(x -> inventory.targetGroups(stackTag))
          .compose(tgsBefore -> backEnd(stack, groups, deepCheck, current, tgsBefore, run)
              .compose(run::going)
              .compose(progress -> registerReplacements(stack, progress, run)).compose(run::going)
              .compose(progress -> frontEnd(stack, progress, deepCheck)).compose(run::going)
              .compose(progress -> addOns(stack, progress, deepCheck)).compose(run::going)
              .compose(progress -> targetGroups.deleteSurplus(stack.targetGroups(), tgsBefore).map(progress::plus)))
          .compose(run::going)
          .compose(progress -> tagLoadBalancer(stack, hash, progress, stackTag))
          .map(progress -> report(run, progress.changes(), Optional.of(progress.loadBalancer().dnsName())))
          .onFailure(e -> failed(stackTag, e, run));
    });
  }

  /**
   * A failed run forgets what this process last applied. A resource found gone (deleted out of band:
   * any *NotFound) also drops the inventory, so the next run (soon: not a validation error) lists AWS
   * again instead of trusting the model hash of a load balancer that no longer exists, and re-creates it.
   */
  private void failed(String stackTag, Throwable e, Reconciliation run) {
    applied.forget(stackTag);
    securityGroups.ifPresent(sgs -> sgs.forgetBackend(stackTag));
    if (staleView(e)) {
      run.info(LOG, "stack {}: AWS is not as listed ({}): listing AWS again", stackTag, e.getMessage());
      inventory.invalidate();
      securityGroups.ifPresent(sgs -> sgs.forget(stackTag, Ec2SecurityGroups.errorCode(e).filter("InvalidGroup.NotFound"::equals).isPresent()));
    }
  }

  /**
   * The lease is lost (or taken again): another replica may have changed the stacks meanwhile; what this
   * process read or wrote is forgotten (listeners and rules, backend security-group rules).
   */
  public void forgetAll() {
    applied.forgetFronts();
    securityGroups.ifPresent(SecurityGroupSynthesizer::forgetAll);
  }

  /**
   * One of the controller's own resources is gone: LoadBalancerNotFound, TargetGroupNotFound,
   * ListenerNotFound, RuleNotFound, EC2's InvalidGroup.NotFound. Not a missing certificate or instance
   * (CertificateNotFound, InvalidInstanceID.NotFound): those are inputs, no relist can repair them.
   */
  public static boolean notFound(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof AwsFailure f && f.kind() == AwsFailure.Kind.NOT_FOUND && OWN_NOT_FOUND.contains(f.code())
          || Ec2SecurityGroups.errorCode(t).filter("InvalidGroup.NotFound"::equals).isPresent()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The run's view of AWS was out of date: one of our resources is gone ({@link #notFound}), or a rule
   * priority the listing showed free is taken (ELBv2 lists a rule created moments ago only eventually).
   * Listing again repairs both, so the next run comes soon rather than after a validation backoff.
   */
  public static boolean staleView(Throwable e) {
    if (notFound(e)) {
      return true;
    }
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof AwsFailure f && "PriorityInUse".equals(f.code())) {
        return true;
      }
    }
    return false;
  }

  private static final Set<String> OWN_NOT_FOUND = Set.of("LoadBalancerNotFound", "TargetGroupNotFound", "ListenerNotFound", "RuleNotFound");

  /** Deletes every resource of a stack: load balancers (and with them listeners and rules), then target groups. */
  public Future<List<Change>> delete(String stackTag) {
    applied.forget(stackTag);
    return inventory.targetGroupsLoaded()
        .compose(v -> Future.join(inventory.loadBalancers(stackTag).stream()
            .map(lb -> loadBalancers.delete(lb).onSuccess(x -> addOns.forget(lb.arn()))).toList()))
        .compose(lbs -> Future.join(inventory.targetGroups(stackTag).stream().map(targetGroups::delete).toList())
            .map(tgs -> Change.concat(lbs.list(), tgs.list())))
        .compose(changes -> deleteSecurityGroups(stackTag).map(changes));
  }

  // ---- security groups: before the load balancer (it is created with them), after it on deletion
  /** No managed groups: the stack as it is, nothing created, nothing pending. */
  private static final SecurityGroupSynthesizer.Groups UNMANAGED = new SecurityGroupSynthesizer.Groups(List.of(), Optional.empty(),
      Future.succeededFuture());

  /** The load balancer's security groups as soon as they exist: the managed ones, or the named ones by ID. */
  private Future<SecurityGroupSynthesizer.Groups> securityGroupsOf(Stack stack, Optional<SecurityGroupPlan> plan, boolean deepCheck,
      boolean newStack) {
    if (plan.isEmpty()) {
      return Future.succeededFuture(UNMANAGED);
    }
    return securityGroups.get().groups(stack.id().key(), plan.get(), deepCheck, newStack);
  }

  /**
   * After the stack's target groups exist: the backend group's rules on the targets' security groups.
   * Every target group of the controller keeps its ports open, whichever stack it belongs to.
   */
  public Future<Void> backendRules(Stack stack, Optional<SecurityGroupPlan> plan, SecurityGroupSynthesizer.Endpoints endpoints,
      boolean deepCheck, boolean stackUnchanged) {
    if (securityGroups.isEmpty() || plan.isEmpty() || stack.empty()) {
      return Future.succeededFuture();
    }
    return securityGroups.get().backendRules(stack.id().key(), plan.get(), endpoints, neededBackendPorts(), deepCheck, stackUnchanged);
  }

  /** The ports of every target group this controller has, and their numeric health-check ports. */
  private Set<Integer> neededBackendPorts() {
    Set<Integer> ports = new HashSet<>();
    for (ActualTargetGroup tg : inventory.allTargetGroups()) {
      ports.add(tg.port());
      if (tg.healthCheck() != null && tg.healthCheck().port() != null && tg.healthCheck().port().matches("\\d{1,5}")) {
        ports.add(Integer.parseInt(tg.healthCheck().port()));
      }
    }
    return ports;
  }

  private Future<Void> deleteSecurityGroups(String stackTag) {
    return securityGroups.map(sgs -> sgs.deleteFrontend(stackTag).compose(v -> sgs.releaseBackendRules(stackTag, neededBackendPorts()))
            .onSuccess(v -> sgs.cleanedUp(stackTag)))
        .orElse(Future.succeededFuture());
  }
  // ---- end security groups

  /**
   * Target groups and the load balancer: neither refers to the other. The target groups (and the check
   * that what their creates returned is ours) run beside the security groups and the load balancer, so
   * a new stack waits for the longer of the two chains only. A new managed group's rules are applied
   * beside the load balancer's create (it admits nothing until then; the run waits for them). What the
   * creates returned is proven this stack's by {@link OwnedCreates}.
   */
  private Future<Progress> backEnd(Stack stack, Optional<SecurityGroupPlan> plan, boolean deepCheck, List<ActualLoadBalancer> lbs,
      List<ActualTargetGroup> tgs, Reconciliation run) {
    String stackTag = stack.id().key();
    Future<List<Change>> tgChanges = targetGroups.sync(stack.targetGroups(), tgs);
    Future<SecurityGroupSynthesizer.Groups> groups = securityGroupsOf(stack, plan, deepCheck, lbs.isEmpty());
    Future<LoadBalancerSynth.Synced> lb = groups.compose(run::going).compose(g -> loadBalancers.sync(withGroups(stack, plan, g), lbs));
    Future<Void> tgOwned = Future.all(tgChanges, groups).compose(v -> owned.targetGroups(stackTag, tgChanges.result(), groups.result()));
    Future<Void> lbOwned = lb.compose(synced -> owned.loadBalancer(stackTag, synced, groups.result(), tgChanges));
    Future<Void> rules = groups.compose(SecurityGroupSynthesizer.Groups::rules);
    return Future.join(tgChanges, lb, tgOwned, lbOwned, rules).map(v -> backEndProgress(lb.result(), tgChanges.result()));
  }

  /** The load balancer as the model has it, with the managed security groups when this controller manages them. */
  private static LoadBalancer withGroups(Stack stack, Optional<SecurityGroupPlan> plan, SecurityGroupSynthesizer.Groups groups) {
    return plan.isEmpty() ? stack.loadBalancer() : stack.loadBalancer().withSecurityGroups(groups.ids());
  }

  private static Progress backEndProgress(LoadBalancerSynth.Synced lb, List<Change> tgChanges) {
    return new Progress(lb.loadBalancer(), lb.created(), Refs.NONE, List.of()).plus(lb.changes()).plus(tgChanges);
  }

  /**
   * Target groups created in this run for a load balancer that already serves (an immutable change
   * replaced them) get their targets before the rules switch to them. A registration that fails is
   * logged and the switch goes ahead (the targets loop keeps trying): the stack is not held back.
   */
  private Future<Progress> registerReplacements(Stack stack, Progress progress, Reconciliation run) {
    if (progress.newLoadBalancer()) {
      return Future.succeededFuture(progress);
    }
    List<Future<Void>> registered = progress.changes().stream()
        .filter(c -> c.kind().equals(TargetGroupSynth.KIND) && c.op() == Change.Op.CREATED)
        .flatMap(c -> stack.targetGroups().stream().filter(tg -> tg.resourceId().equals(c.id()))
            .map(tg -> hooks.registerFirst().registerNow(stack.id(), tg, c.arn())
                .recover(e -> {
                  run.info(LOG, "registering the targets of {} before the switch failed: {}", tg.name(), e.getMessage());
                  return Future.succeededFuture();
                })))
        .toList();
    return Future.all(registered).map(progress);
  }

  /** Listeners, then their rules; skipped when both are as this process last applied them. */
  private Future<Progress> frontEnd(Stack stack, Progress progress, boolean deepCheck) {
    String stackTag = stack.id().key();
    String front = ModelHash.of(List.of(progress.loadBalancer().arn(), stack.listeners(), stack.rules(), progress.refs().sorted()));
    if (!deepCheck && !progress.newLoadBalancer() && applied.frontIs(stackTag, front)) {
      return Future.succeededFuture(progress);
    }
    applied.forgetFront(stackTag);
    // what this process last read or wrote, unless a deep check compares everything with AWS
    Optional<AppliedMemory.KnownFront> known = applied.takeKnownFront(stackTag);
    AppliedMemory.KnownFront usable = deepCheck || progress.newLoadBalancer() ? null : known.orElse(null);
    String lbArn = progress.refs().arn(LOAD_BALANCER);
    // target groups named in forward actions: one lookup a run, only when listeners and rules are compared
    return TargetGroupNames.resolve(elb, stack, progress.refs()).compose(refs -> {
      Progress named = progress.withRefs(refs);
      boolean reapplyOidc = oidcSecretsChanged(stack, named);
      String listenersHash = ModelHash.of(List.of(lbArn, stack.listeners(),
          stack.listeners().stream().map(l -> SdkModel.canonical(SdkModel.actions(l.defaultAction(), named.refs()))).toList()));
      if (usable != null && !reapplyOidc && usable.listenersHash().equals(listenersHash)) {
        // the listeners are as this process left them: only the rules changed
        return rules(stack, named.plus(usable.listeners()), usable.rules())
            .onSuccess(r -> applied.knownFront(stackTag, new AppliedMemory.KnownFront(listenersHash, usable.listeners(), r.rules())))
            .map(Ruled::progress);
      }
      Future<List<ActualListener>> actual = named.newLoadBalancer() ? Future.succeededFuture(List.of()) : elb.describeListeners(lbArn);
      return actual.compose(current -> listeners.sync(stack.listeners(), current, named.refs(), reapplyOidc))
          .compose(changes -> rules(stack, named.plus(changes), usable == null ? Map.of() : usable.rules())
              .onSuccess(r -> applied.knownFront(stackTag, new AppliedMemory.KnownFront(listenersHash, changes.stream()
                  .filter(c -> c.kind().equals(ListenerSynth.KIND) && c.op() != Change.Op.DELETED && !c.arn().isEmpty())
                  .map(c -> Change.unchanged(ListenerSynth.KIND, c.id(), c.arn())).toList(), r.rules())))
              .map(Ruled::progress));
    }).onSuccess(v -> applied.frontApplied(stackTag, front));
  }

  /** The rules' progress, and per listener ARN its rules as the run left them (listeners whose rule ARNs are not all known left out). */
  private record Ruled(Progress progress, Map<String, List<ActualRule>> rules) {}

  /**
   * ELBv2 never returns an OIDC client secret: the load balancer's {@link Tags#OIDC_SECRETS} tag (set
   * last, with the model hash) says which secrets were applied; when the desired one differs, every
   * listener and rule that authenticates with OIDC is modified again.
   */
  static boolean oidcSecretsChanged(Stack stack, Progress progress) {
    String desired = stack.loadBalancer().tags().get(Tags.OIDC_SECRETS);
    return desired != null && !progress.newLoadBalancer() && !desired.equals(progress.loadBalancer().tags().get(Tags.OIDC_SECRETS));
  }

  /** @param known per listener ARN, its rules as this process last read or wrote them (not described again) */
  private Future<Ruled> rules(Stack stack, Progress progress, Map<String, List<ActualRule>> known) {
    boolean reapplyOidc = oidcSecretsChanged(stack, progress);
    Set<String> created = progress.changes().stream().filter(c -> c.kind().equals(ListenerSynth.KIND) && c.op() == Change.Op.CREATED)
        .map(Change::arn).collect(Collectors.toSet());
    List<String> arns = stack.listeners().stream().map(l -> progress.refs().arn(Ref.to(ListenerSynth.KIND, l.resourceId()))).toList();
    List<Future<RuleSynth.Synced>> perListener = stack.listeners().stream().map(l -> {
      String arn = progress.refs().arn(Ref.to(ListenerSynth.KIND, l.resourceId()));
      List<ListenerRule> desired = stack.rules().stream().filter(r -> r.listener().resourceId().equals(l.resourceId())).toList();
      // a listener created in this run has no rules yet: nothing to describe; nor one whose rules this process knows
      Future<List<ActualRule>> actual = created.contains(arn) ? Future.succeededFuture(List.of())
          : known.containsKey(arn) ? Future.succeededFuture(known.get(arn)) : elb.describeRules(arn);
      return actual.compose(current -> rules.synced(arn, desired, current, progress.refs(), reapplyOidc));
    }).toList();
    return Future.join(perListener).map(f -> {
      List<RuleSynth.Synced> synced = f.list();
      Map<String, List<ActualRule>> after = new HashMap<>();
      for (int i = 0; i < synced.size(); i++) {
        String arn = arns.get(i);
        synced.get(i).rules().ifPresent(r -> after.put(arn, r));
      }
      return new Ruled(progress.plus(synced.stream().flatMap(s -> s.changes().stream()).toList()), Map.copyOf(after));
    });
  }

  /** WAFv2, WAF Classic and Shield after the rules (the reference's order), before the model hash so a failure is retried. */
  private Future<Progress> addOns(Stack stack, Progress progress, boolean deepCheck) {
    String lbArn = progress.loadBalancer().arn();
    return addOns.apply(stack.loadBalancer(), lbArn, progress.newLoadBalancer(), deepCheck)
        .map(changes -> progress.plus(changes.stream().map(c -> asChange(c, lbArn)).toList()));
  }

  /** An add-on change in the deploy summary: the add-on names the kind, the load balancer is its id. */
  private static Change asChange(AddOnChange change, String lbArn) {
    String kind = change.getClass().getEnclosingClass().getSimpleName();
    boolean removal = change instanceof Wafv2Association.Disassociate || change instanceof WafClassicAssociation.Disassociate
        || change instanceof ShieldProtection.Delete;
    return removal ? Change.deleted(kind, lbArn) : Change.modified(kind, lbArn, "");
  }

  /** Tags last: the model hash on the load balancer says the whole stack is applied. */
  private Future<Progress> tagLoadBalancer(Stack stack, String hash, Progress progress, String stackTag) {
    ActualLoadBalancer lb = progress.loadBalancer();
    Map<String, String> desired = new HashMap<>(stack.loadBalancer().tags());
    if (untaggedSuffices(lb, desired, progress.changes())) {
      applied.appliedUntagged(stackTag, hash);
      return Future.succeededFuture(progress);
    }
    applied.forgetUntagged(stackTag);
    desired.put(Tags.MODEL_HASH, hash);
    return tags.sync(LOAD_BALANCER.ref(), lb.arn(), lb.tags(), desired).map(change -> {
      // the targets loop's tag (not in the model, never removed by the tag sync) stays as it was
      Map<String, String> now = new HashMap<>(desired);
      Optional.ofNullable(lb.tags().get(Tags.TARGETS_HASH)).ifPresent(h -> now.put(Tags.TARGETS_HASH, h));
      ActualLoadBalancer tagged = lb.withTags(Map.copyOf(now));
      inventory.put(tagged);
      return new Progress(tagged, progress.newLoadBalancer(), progress.refs(), Change.concat(progress.changes(), List.of(change)));
    });
  }

  /**
   * The model hash may stay as it is when the load balancer has one, its other tags are already the
   * desired ones, and the run changed at most target-group settings. A restart then re-checks such a
   * stack with reads only (the tag does not match); the next change of anything else writes it.
   */
  static boolean untaggedSuffices(ActualLoadBalancer lb, Map<String, String> desiredWithoutHash, List<Change> changes) {
    Map<String, String> others = new HashMap<>(lb.tags());
    others.remove(Tags.TARGETS_HASH);
    return others.remove(Tags.MODEL_HASH) != null && others.equals(desiredWithoutHash)
        && changes.stream().allMatch(c -> c.op() == Change.Op.UNCHANGED
            || c.op() == Change.Op.MODIFIED && c.kind().equals(TargetGroupSynth.KIND));
  }

  /** Every change in the log and the metrics, then one summary line. */
  private Outcome report(Reconciliation run, List<Change> changes, Optional<String> dnsName) {
    changes.stream().filter(Change::changed).forEach(c -> {
      run.info(LOG, "{} {} {}", c.op().name().toLowerCase(Locale.ROOT), c.kind(), c.id());
      Counter.builder(CHANGES).description("AWS resources created, modified or deleted.").tag("kind", c.kind())
          .tag("op", c.op().name().toLowerCase(Locale.ROOT)).register(registry).increment();
    });
    if (changes.stream().anyMatch(Change::changed)) {
      run.info(LOG, "deployed: {}", Change.summary(changes));
    } else {
      run.debug(LOG, "checked: no change");
    }
    return new Outcome(dnsName, changes);
  }
}
