package io.albingress.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Real ELBv2 behaviour that moto does not have, enforced in front of moto (the fault proxy hands
 * every ELBv2 call to {@link #handle}). Each rule names the page of the ELBv2 API reference it
 * follows (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_*.html). A test
 * fixture: it keeps only what a rule needs and asks moto for the rest.
 */
public final class StrictElbv2 {
  /** Forwards a request to moto with the caller's headers (moto does not check signatures). */
  public interface Moto {
    Future<AwsAnswer> send(QueryRequest request);
  }

  /**
   * @param seed draws how long each new resource stays out of Describe* answers
   * @param maxHiddenMillis upper bound of that delay; 0 turns eventual consistency off
   * @param inUseMillis how long a target group stays ResourceInUse after the last action using it went away
   * @param rulesPerLoadBalancer the TooManyRules quota
   */
  public record Settings(long seed, long maxHiddenMillis, long inUseMillis, int rulesPerLoadBalancer) {
    /** -Dstrict.hiddenMillis (1500), -Dstrict.inUseMillis (3000), -Dstrict.rules (100). */
    public static Settings fromSystemProperties(long seed) {
      return new Settings(seed, Long.getLong("strict.hiddenMillis", 1500), Long.getLong("strict.inUseMillis", 3000),
          Integer.getInteger("strict.rules", 100));
    }
  }

  /** API_CreateLoadBalancer.html, API_CreateTargetGroup.html: "Name ... can have a maximum of 32 characters". */
  static final int MAX_NAME = 32;
  private static final Pattern TARGET_GROUP_ARN = Pattern.compile("<TargetGroupArn>([^<]+)</TargetGroupArn>");

  /** The two resources ELBv2 creates idempotently by name. */
  private record Named(String create, String describe, String arnElement, String duplicate, String notFound) {}

  private static final Named LOAD_BALANCER = new Named("CreateLoadBalancer", "DescribeLoadBalancers", "LoadBalancerArn",
      "DuplicateLoadBalancerName", "LoadBalancerNotFound");
  private static final Named TARGET_GROUP = new Named("CreateTargetGroup", "DescribeTargetGroups", "TargetGroupArn",
      "DuplicateTargetGroupName", "TargetGroupNotFound");

  /** What a Describe* lists, for hiding resources not yet visible. */
  private record Listing(String listElement, String arnElement, String arnsParam, String notFound) {}

  private static final Map<String, Listing> LISTINGS = Map.of(
      "DescribeLoadBalancers", new Listing("LoadBalancers", "LoadBalancerArn", "LoadBalancerArns", "LoadBalancerNotFound"),
      "DescribeTargetGroups", new Listing("TargetGroups", "TargetGroupArn", "TargetGroupArns", "TargetGroupNotFound"),
      "DescribeListeners", new Listing("Listeners", "ListenerArn", "ListenerArns", "ListenerNotFound"),
      "DescribeRules", new Listing("Rules", "RuleArn", "RuleArns", "RuleNotFound"));

  private final Settings settings;
  private final LongSupplier clock;
  private final Random random;
  private final Map<String, Map<String, String>> createdWith = new ConcurrentHashMap<>();
  private final Map<String, Long> visibleAt = new ConcurrentHashMap<>();
  private final Map<String, Long> inUseUntil = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> applied = new ConcurrentHashMap<>();
  private Future<?> creates = Future.succeededFuture();

  public StrictElbv2(Settings settings) {
    this(settings, () -> System.nanoTime() / 1_000_000);
  }

  public StrictElbv2(Settings settings, LongSupplier clockMillis) {
    this.settings = settings;
    this.clock = clockMillis;
    this.random = new Random(settings.seed());
  }

  /** How often each rule acted, e.g. {@code DuplicateLoadBalancerName=1, idempotent CreateTargetGroup=3, hidden=12}. */
  public Map<String, Long> applied() {
    Map<String, Long> out = new TreeMap<>();
    applied.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  public Future<AwsAnswer> handle(QueryRequest request, Moto moto) {
    return switch (request.action()) {
      case "CreateLoadBalancer" -> serialised(() -> createByName(LOAD_BALANCER, request, moto));
      case "CreateTargetGroup" -> serialised(() -> createByName(TARGET_GROUP, request, moto));
      case "CreateListener" -> serialised(() -> createListener(request, moto));
      case "CreateRule" -> createRule(request, moto);
      case "DeleteTargetGroup" -> deleteTargetGroup(request, moto);
      case "DeleteLoadBalancer" -> deleteLoadBalancer(request, moto);
      case "DeleteRule", "ModifyRule", "DeleteListener", "ModifyListener" -> releasing(request, moto);
      case "SetRulePriorities" -> serialised(() -> setRulePriorities(request, moto));
      default -> LISTINGS.containsKey(request.action()) ? describe(LISTINGS.get(request.action()), request, moto) : moto.send(request);
    };
  }

  /**
   * API_CreateLoadBalancer.html / API_CreateTargetGroup.html: "This operation is idempotent ... If
   * you attempt to create multiple load balancers [target groups] with the same settings, each call
   * succeeds"; a different one with that name fails DuplicateLoadBalancerName / DuplicateTargetGroupName;
   * names have at most 32 characters (a longer one fails validation, ValidationError).
   */
  private Future<AwsAnswer> createByName(Named kind, QueryRequest request, Moto moto) {
    String name = request.get("Name");
    if (name != null && name.length() > MAX_NAME) {
      return refuse("ValidationError", "1 validation error detected: Value '" + name
          + "' at 'name' failed to satisfy constraint: Member must have length less than or equal to " + MAX_NAME);
    }
    if (name == null) {
      return moto.send(request);
    }
    return moto.send(QueryRequest.of(kind.describe(), "Names.member.1", name)).compose(existing -> {
      if (existing.ok() && existing.text().contains("<" + kind.arnElement() + ">")) {
        if (!request.settings().equals(createdWith.get(kind.create() + " " + name))) {
          return refuse(kind.duplicate(), "A " + (kind == LOAD_BALANCER ? "load balancer" : "target group") + " with the name '"
              + name + "' already exists with other settings");
        }
        count("idempotent " + kind.create());
        return Future.succeededFuture(existing.withBody(existing.text()
            .replace(kind.describe() + "Response", kind.create() + "Response").replace(kind.describe() + "Result", kind.create() + "Result")));
      }
      return moto.send(request).map(created -> {
        if (created.ok()) {
          createdWith.put(kind.create() + " " + name, request.settings());
        }
        return hideNew(created, kind.arnElement());
      });
    });
  }

  /**
   * API_CreateListener.html: "This operation is idempotent, which means that it completes at most one
   * time. If you attempt to create multiple listeners with the same settings, each call succeeds";
   * another listener on the port fails DuplicateListener. Moto creates a second listener on the port.
   */
  private Future<AwsAnswer> createListener(QueryRequest request, Moto moto) {
    String lb = request.get("LoadBalancerArn");
    String port = request.get("Port");
    String key = "CreateListener " + lb + ":" + port;
    return moto.send(QueryRequest.of("DescribeListeners", "LoadBalancerArn", lb)).compose(existing -> {
      String arn = existing.ok() && port != null ? listenerOnPort(existing.text(), port) : null;
      if (arn == null) {
        return moto.send(request).map(created -> {
          if (created.ok()) {
            createdWith.put(key, request.settings());
          }
          return hideNew(created, "ListenerArn");
        });
      }
      if (!request.settings().equals(createdWith.get(key))) {
        return refuse("DuplicateListener", "A listener already exists on port " + port + " of '" + lb + "'");
      }
      count("idempotent CreateListener");
      String only = withoutMembers(existing.text(), "Listeners", "ListenerArn", a -> !a.equals(arn));
      return Future.succeededFuture(existing.withBody(only.replace("DescribeListenersResponse", "CreateListenerResponse")
          .replace("DescribeListenersResult", "CreateListenerResult")));
    });
  }

  /** The ARN of the listener on this port in a DescribeListeners answer, or null. */
  static String listenerOnPort(String xml, String port) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
      NodeList lists = doc.getElementsByTagNameNS("*", "Listeners");
      for (int i = 0; i < lists.getLength(); i++) {
        for (Node member = lists.item(i).getFirstChild(); member != null; member = member.getNextSibling()) {
          if (member instanceof Element e && e.getLocalName().equals("member") && port.equals(childText(e, "Port"))) {
            return childText(e, "ListenerArn");
          }
        }
      }
      return null;
    } catch (Exception e) {
      throw new IllegalStateException("cannot read an ELBv2 answer: " + e.getMessage(), e);
    }
  }

  /** API_CreateRule.html, TooManyRules: "You've reached the limit on the number of rules per load balancer" (quota: 100, load-balancer-limits.html#rules-quotas). */
  private Future<AwsAnswer> createRule(QueryRequest request, Moto moto) {
    String listener = request.get("ListenerArn");
    return moto.send(QueryRequest.of("DescribeListeners", "ListenerArns.member.1", listener))
        .compose(own -> {
          String lb = first(own.text(), "LoadBalancerArn");
          if (!own.ok() || lb == null) {
            return Future.succeededFuture(-1);
          }
          return rulesOf(lb, moto);
        })
        .compose(rules -> {
          if (rules >= settings.rulesPerLoadBalancer()) {
            return refuse("TooManyRules", "You've reached the limit on the number of rules per load balancer");
          }
          return moto.send(request).map(a -> hideNew(a, "RuleArn"));
        });
  }

  /**
   * API_SetRulePriorities.html: "You can reorder one or more rules for the same listener"; a priority in
   * use fails PriorityInUse, the default rule's cannot be changed (OperationNotPermitted). ELBv2 checks the
   * listener as the call leaves it, so a rule may take a priority another rule of the call gives up (a shift,
   * a swap); moto checks each pair against the priorities before the call and lets the default rule move.
   * So this checks the result here and makes it in moto in two steps: the rules to free priorities, then
   * to theirs (a reader in between may see the first step: a test fixture).
   */
  private Future<AwsAnswer> setRulePriorities(QueryRequest request, Moto moto) {
    Map<String, Integer> wanted = new java.util.LinkedHashMap<>();
    for (int i = 1; request.get("RulePriorities.member." + i + ".RuleArn") != null; i++) {
      wanted.put(request.get("RulePriorities.member." + i + ".RuleArn"), Integer.valueOf(request.get("RulePriorities.member." + i + ".Priority")));
    }
    Set<String> listeners = new HashSet<>(wanted.keySet().stream().map(StrictElbv2::listenerOfRule).toList());
    if (wanted.isEmpty() || listeners.size() != 1) {
      return refuse("ValidationError", "The rules must belong to one listener");
    }
    return moto.send(QueryRequest.of("DescribeRules", "ListenerArn", listeners.iterator().next(), "PageSize", "400")).compose(rules -> {
      if (!rules.ok()) {
        return Future.succeededFuture(rules);
      }
      Map<String, String> now = new java.util.LinkedHashMap<>();
      Matcher m = Pattern.compile("<RuleArn>([^<]+)</RuleArn>|<Priority>([^<]+)</Priority>").matcher(rules.text());
      String arn = null;
      while (m.find()) {
        if (m.group(1) != null) {
          arn = m.group(1);
        } else if (arn != null) {
          now.put(arn, m.group(2));
          arn = null;
        }
      }
      if (!now.keySet().containsAll(wanted.keySet())) {
        return refuse("RuleNotFound", "One or more rules not found");
      }
      if (wanted.keySet().stream().anyMatch(r -> "default".equals(now.get(r)))) {
        return refuse("OperationNotPermitted", "The default rule's priority cannot be changed");
      }
      Map<String, Integer> after = new java.util.HashMap<>();
      now.forEach((r, p) -> {
        if (!"default".equals(p)) {
          after.put(r, wanted.getOrDefault(r, Integer.valueOf(p)));
        }
      });
      if (new HashSet<>(after.values()).size() < after.size()) {
        return refuse("PriorityInUse", "The specified priority is in use");
      }
      Set<Integer> taken = new HashSet<>(after.values());
      now.values().stream().filter(p -> !"default".equals(p)).map(Integer::valueOf).forEach(taken::add);
      List<String> first = new java.util.ArrayList<>();
      int spare = 50_000;
      for (String r : wanted.keySet()) {
        while (taken.contains(spare)) {
          spare--;
        }
        first.add(r);
        first.add(String.valueOf(spare--));
      }
      count("SetRulePriorities in two steps");
      return moto.send(pairs(first)).compose(step -> !step.ok() ? Future.succeededFuture(step)
          : moto.send(pairs(wanted.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), String.valueOf(e.getValue()))).toList())));
    });
  }

  private static QueryRequest pairs(List<String> arnsAndPriorities) {
    List<String> params = new java.util.ArrayList<>();
    for (int i = 0; i < arnsAndPriorities.size(); i += 2) {
      params.addAll(List.of("RulePriorities.member." + (i / 2 + 1) + ".RuleArn", arnsAndPriorities.get(i),
          "RulePriorities.member." + (i / 2 + 1) + ".Priority", arnsAndPriorities.get(i + 1)));
    }
    return QueryRequest.of("SetRulePriorities", params.toArray(String[]::new));
  }

  /** arn:...:listener-rule/app/LB/ID/LISTENER/RULE to arn:...:listener/app/LB/ID/LISTENER. */
  static String listenerOfRule(String ruleArn) {
    return ruleArn.replace(":listener-rule/", ":listener/").substring(0, ruleArn.lastIndexOf('/') - "-rule".length());
  }

  private Future<Integer> rulesOf(String loadBalancerArn, Moto moto) {
    return moto.send(QueryRequest.of("DescribeListeners", "LoadBalancerArn", loadBalancerArn)).compose(listeners -> {
      List<Future<AwsAnswer>> rules = all(listeners.text(), "ListenerArn").stream()
          .map(l -> moto.send(QueryRequest.of("DescribeRules", "ListenerArn", l))).toList();
      return Future.all(rules).map(done -> rules.stream()
          .mapToInt(r -> count(r.result().text(), "<IsDefault>false</IsDefault>")).sum());
    });
  }

  /**
   * API_DeleteTargetGroup.html: "You can delete a target group if it is not referenced by any
   * actions", else ResourceInUse; on real ELBv2 that lasts a while after the rule, listener or load
   * balancer using it went away.
   */
  private Future<AwsAnswer> deleteTargetGroup(QueryRequest request, Moto moto) {
    String arn = request.get("TargetGroupArn");
    Long until = inUseUntil.get(arn);
    if (until != null && clock.getAsLong() < until) {
      return refuse("ResourceInUse", "Target group '" + arn + "' is currently in use by a listener or a rule");
    }
    return moto.send(request);
  }

  /** API_DeleteLoadBalancer.html: "You can't delete a load balancer if deletion protection is enabled" (OperationNotPermitted). */
  private Future<AwsAnswer> deleteLoadBalancer(QueryRequest request, Moto moto) {
    String arn = request.get("LoadBalancerArn");
    return moto.send(QueryRequest.of("DescribeLoadBalancerAttributes", "LoadBalancerArn", arn)).compose(attributes -> {
      if (attributes.ok() && attributes.text().replaceAll("\\s", "")
          .contains("<Key>deletion_protection.enabled</Key><Value>true</Value>")) {
        return refuse("OperationNotPermitted", "Load balancer '" + arn + "' cannot be deleted because deletion protection is enabled");
      }
      return releasing(request, moto);
    });
  }

  /** Runs a call that can detach target groups; those it detached stay ResourceInUse for {@code inUseMillis}. */
  private Future<AwsAnswer> releasing(QueryRequest request, Moto moto) {
    Set<String> after = switch (request.action()) {
      case "ModifyRule" -> request.params().keySet().stream().anyMatch(k -> k.startsWith("Actions.")) ? new HashSet<>(request.valuesOf("TargetGroupArn")) : null;
      case "ModifyListener" -> request.params().keySet().stream().anyMatch(k -> k.startsWith("DefaultActions.")) ? new HashSet<>(request.valuesOf("TargetGroupArn")) : null;
      default -> Set.of();
    };
    if (after == null) {
      return moto.send(request);
    }
    return targetGroupsUsedBy(request, moto).compose(used -> moto.send(request).map(answer -> {
      if (answer.ok()) {
        long until = clock.getAsLong() + settings.inUseMillis();
        used.stream().filter(tg -> !after.contains(tg)).forEach(tg -> {
          inUseUntil.put(tg, until);
          count("detached");
        });
      }
      return answer;
    }));
  }

  private Future<Set<String>> targetGroupsUsedBy(QueryRequest request, Moto moto) {
    return switch (request.action()) {
      case "DeleteRule", "ModifyRule" -> moto.send(QueryRequest.of("DescribeRules", "RuleArns.member.1", request.get("RuleArn")))
          .map(a -> Set.copyOf(all(a.text(), "TargetGroupArn")));
      case "DeleteListener" -> moto.send(QueryRequest.of("DescribeRules", "ListenerArn", request.get("ListenerArn")))
          .map(a -> Set.copyOf(all(a.text(), "TargetGroupArn")));
      case "ModifyListener" -> moto.send(QueryRequest.of("DescribeListeners", "ListenerArns.member.1", request.get("ListenerArn")))
          .map(a -> Set.copyOf(all(a.text(), "TargetGroupArn")));
      case "DeleteLoadBalancer" -> moto.send(QueryRequest.of("DescribeListeners", "LoadBalancerArn", request.get("LoadBalancerArn")))
          .compose(listeners -> {
            List<Future<AwsAnswer>> rules = all(listeners.text(), "ListenerArn").stream()
                .map(l -> moto.send(QueryRequest.of("DescribeRules", "ListenerArn", l))).toList();
            return Future.all(rules).map(done -> {
              Set<String> tgs = new HashSet<>(all(listeners.text(), "TargetGroupArn"));
              rules.forEach(r -> tgs.addAll(all(r.result().text(), "TargetGroupArn")));
              return tgs;
            });
          });
      default -> Future.succeededFuture(Set.of());
    };
  }

  /**
   * Eventual consistency: the ELBv2 API, like EC2's ("Eventual consistency in the Amazon EC2 API",
   * ec2/latest/devguide/eventual-consistency.html), may not list a resource it just created. A new
   * load balancer, target group, listener or rule stays out of Describe* answers for a seeded delay;
   * asked for by ARN it is "not found".
   */
  private Future<AwsAnswer> describe(Listing listing, QueryRequest request, Moto moto) {
    List<String> named = new java.util.ArrayList<>(request.list(listing.arnsParam()));
    if (request.get("LoadBalancerArn") != null) {
      named.add(request.get("LoadBalancerArn"));
    }
    if (request.get("ListenerArn") != null) {
      named.add(request.get("ListenerArn"));
    }
    for (String arn : named) {
      if (hidden(arn)) {
        count("hidden");
        String code = arn.contains(":loadbalancer/") ? "LoadBalancerNotFound" : arn.contains(":listener/") ? "ListenerNotFound" : listing.notFound();
        return refuse(code, "'" + arn + "' not found");
      }
    }
    return moto.send(request).map(answer -> {
      if (!answer.ok() || visibleAt.keySet().stream().noneMatch(a -> hidden(a) && answer.text().contains(a))) {
        return answer;
      }
      count("hidden");
      String filtered = withoutMembers(answer.text(), listing.listElement(), listing.arnElement(), this::hidden);
      if (!request.list("Names").isEmpty() && !filtered.contains("<" + listing.arnElement() + ">")) {
        return AwsAnswer.elbv2Error(listing.notFound(), "One or more " + listing.listElement() + " not found");
      }
      return answer.withBody(filtered);
    });
  }

  private AwsAnswer hideNew(AwsAnswer created, String arnElement) {
    String arn = created.ok() ? first(created.text(), arnElement) : null;
    if (arn != null && settings.maxHiddenMillis() > 0) {
      long delay;
      synchronized (random) {
        delay = 1 + random.nextLong(settings.maxHiddenMillis());
      }
      visibleAt.put(arn, clock.getAsLong() + delay);
    }
    return created;
  }

  private boolean hidden(String arn) {
    Long at = visibleAt.get(arn);
    return at != null && clock.getAsLong() < at;
  }

  /** Creates by name run one at a time, as ELBv2 decides "exists or not" atomically. */
  private synchronized <T> Future<T> serialised(Supplier<Future<T>> step) {
    Promise<T> done = Promise.promise();
    Future<?> previous = creates;
    creates = done.future();
    previous.onComplete(x -> {
      try {
        step.get().onComplete(done);
      } catch (RuntimeException e) {
        done.fail(e);
      }
    });
    return done.future();
  }

  private <T> Future<T> refuse(String code, String message) {
    count(code);
    @SuppressWarnings("unchecked")
    Future<T> answer = (Future<T>) Future.succeededFuture(AwsAnswer.elbv2Error(code, message));
    return answer;
  }

  private void count(String what) {
    applied.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
  }

  static String first(String xml, String element) {
    Matcher m = Pattern.compile("<" + element + ">([^<]+)</" + element + ">").matcher(xml);
    return m.find() ? m.group(1) : null;
  }

  static List<String> all(String xml, String element) {
    Matcher m = (element.equals("TargetGroupArn") ? TARGET_GROUP_ARN : Pattern.compile("<" + element + ">([^<]+)</" + element + ">")).matcher(xml);
    List<String> out = new java.util.ArrayList<>();
    while (m.find()) {
      if (!out.contains(m.group(1))) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
      n++;
    }
    return n;
  }

  /** The XML without the {@code member}s of each {@code listElement} whose {@code arnElement} matches. */
  static String withoutMembers(String xml, String listElement, String arnElement, Predicate<String> drop) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
      NodeList lists = doc.getElementsByTagNameNS("*", listElement);
      for (int i = 0; i < lists.getLength(); i++) {
        Node list = lists.item(i);
        for (Node member = list.getFirstChild(); member != null; ) {
          Node next = member.getNextSibling();
          if (member instanceof Element e && e.getLocalName().equals("member") && drop.test(childText(e, arnElement))) {
            list.removeChild(member);
          }
          member = next;
        }
      }
      StringWriter out = new StringWriter();
      TransformerFactory.newInstance().newTransformer().transform(new DOMSource(doc), new StreamResult(out));
      return out.toString();
    } catch (Exception e) {
      throw new IllegalStateException("cannot filter an ELBv2 answer: " + e.getMessage(), e);
    }
  }

  private static String childText(Element member, String name) {
    for (Node c = member.getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c instanceof Element e && e.getLocalName().equals(name)) {
        return e.getTextContent().trim();
      }
    }
    return "";
  }
}
