package io.albingress.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.albingress.testing.FaultProxy;
import io.albingress.testing.StrictElbv2;
import io.albingress.testing.TestEnvironment;
import io.albingress.testing.TestEnvironment.Env;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2AsyncClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateLoadBalancerRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateTargetGroupRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerSchemeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;

/**
 * The strict ELBv2 layer itself, driven by the AWS SDK through the fault proxy (no faults) into
 * moto: each rule refuses or answers as real ELBv2 does, and moto alone would not. The layer's clock
 * is the test's, so nothing depends on wall-clock time.
 */
@ExtendWith(TestEnvironment.class)
class StrictElbv2IT {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private Vertx vertx;
  private FaultProxy proxy;
  private ElasticLoadBalancingV2AsyncClient elb;

  private void start(Env env, StrictElbv2.Settings settings) throws Exception {
    vertx = Vertx.vertx();
    proxy = new FaultProxy(vertx, URI.create(env.awsEndpoint()), 0, 0, 1).strict(new StrictElbv2(settings, now::get)).start()
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    elb = ElasticLoadBalancingV2AsyncClient.builder().endpointOverride(URI.create(proxy.url())).region(Region.of(env.region()))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))).build();
  }

  @AfterEach
  void stop() {
    if (elb != null) {
      elb.close();
      proxy.close();
      vertx.close();
    }
  }

  private static StrictElbv2.Settings plain() {
    return new StrictElbv2.Settings(7, 0, 0, 100);
  }

  private static List<String> subnets(Env env) {
    return env.seed().getJsonArray("subnets").stream().map(JsonObject.class::cast)
        .filter(s -> "public".equals(s.getString("role"))).map(s -> s.getString("id")).limit(2).toList();
  }

  private CreateLoadBalancerRequest lb(Env env, String name, LoadBalancerSchemeEnum scheme) {
    return CreateLoadBalancerRequest.builder().name(name).subnets(subnets(env)).scheme(scheme)
        .tags(Tag.builder().key("elbv2.k8s.aws/cluster").value("strict").build()).build();
  }

  private CreateTargetGroupRequest tg(Env env, String name, int port) {
    return CreateTargetGroupRequest.builder().name(name).protocol(ProtocolEnum.HTTP).port(port).vpcId(env.vpcId()).build();
  }

  private static String errorCode(Throwable t) {
    Throwable cause = t instanceof CompletionException ? t.getCause() : t;
    return cause instanceof AwsServiceException e ? e.awsErrorDetails().errorCode() : String.valueOf(cause);
  }

  private static void assertRefused(Runnable call, String code) {
    assertThatThrownBy(call::run).satisfies(t -> assertThat(errorCode(t)).isEqualTo(code));
  }

  @Test
  void createLoadBalancerIsIdempotentByNameAndRefusesOtherSettings(Env env) throws Exception {
    start(env, plain());
    String first = elb.createLoadBalancer(lb(env, "strict-lb", LoadBalancerSchemeEnum.INTERNET_FACING)).join().loadBalancers().get(0).loadBalancerArn();
    String again = elb.createLoadBalancer(lb(env, "strict-lb", LoadBalancerSchemeEnum.INTERNET_FACING)).join().loadBalancers().get(0).loadBalancerArn();
    assertThat(again).isEqualTo(first);
    assertThat(elb.describeLoadBalancers(b -> {}).join().loadBalancers()).hasSize(1);
    assertRefused(() -> elb.createLoadBalancer(lb(env, "strict-lb", LoadBalancerSchemeEnum.INTERNAL)).join(), "DuplicateLoadBalancerName");
    assertRefused(() -> elb.createLoadBalancer(lb(env, "k8s-" + "x".repeat(29), LoadBalancerSchemeEnum.INTERNAL)).join(), "ValidationError");
    assertThat(proxy.strict().applied()).containsEntry("idempotent CreateLoadBalancer", 1L).containsEntry("DuplicateLoadBalancerName", 1L);
  }

  @Test
  void createTargetGroupIsIdempotentByNameAndRefusesOtherSettings(Env env) throws Exception {
    start(env, plain());
    String first = elb.createTargetGroup(tg(env, "strict-tg", 80)).join().targetGroups().get(0).targetGroupArn();
    assertThat(elb.createTargetGroup(tg(env, "strict-tg", 80)).join().targetGroups().get(0).targetGroupArn()).isEqualTo(first);
    assertRefused(() -> elb.createTargetGroup(tg(env, "strict-tg", 8080)).join(), "DuplicateTargetGroupName");
    assertRefused(() -> elb.createTargetGroup(tg(env, "t".repeat(33), 80)).join(), "ValidationError");
    assertThat(elb.describeTargetGroups(b -> {}).join().targetGroups()).hasSize(1);
  }

  @Test
  void aTargetGroupStaysInUseForAWhileAfterItsListenerWentAway(Env env) throws Exception {
    start(env, new StrictElbv2.Settings(7, 0, 5_000, 100));
    String lb = elb.createLoadBalancer(lb(env, "strict-inuse", LoadBalancerSchemeEnum.INTERNET_FACING)).join().loadBalancers().get(0).loadBalancerArn();
    String tg = elb.createTargetGroup(tg(env, "strict-inuse", 80)).join().targetGroups().get(0).targetGroupArn();
    String listener = elb.createListener(b -> b.loadBalancerArn(lb).protocol(ProtocolEnum.HTTP).port(80)
        .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(tg))).join().listeners().get(0).listenerArn();
    elb.deleteListener(b -> b.listenerArn(listener)).join();
    assertRefused(() -> elb.deleteTargetGroup(b -> b.targetGroupArn(tg)).join(), "ResourceInUse");
    now.addAndGet(4_999);
    assertRefused(() -> elb.deleteTargetGroup(b -> b.targetGroupArn(tg)).join(), "ResourceInUse");
    now.addAndGet(1);
    elb.deleteTargetGroup(b -> b.targetGroupArn(tg)).join();
    assertThat(elb.describeTargetGroups(b -> {}).join().targetGroups()).isEmpty();
  }

  @Test
  void aTargetGroupStaysInUseAfterItsLoadBalancerWentAway(Env env) throws Exception {
    start(env, new StrictElbv2.Settings(7, 0, 5_000, 100));
    String lb = elb.createLoadBalancer(lb(env, "strict-lbgone", LoadBalancerSchemeEnum.INTERNET_FACING)).join().loadBalancers().get(0).loadBalancerArn();
    String tg = elb.createTargetGroup(tg(env, "strict-lbgone", 80)).join().targetGroups().get(0).targetGroupArn();
    String other = elb.createTargetGroup(tg(env, "strict-unused", 80)).join().targetGroups().get(0).targetGroupArn();
    String listener = elb.createListener(b -> b.loadBalancerArn(lb).protocol(ProtocolEnum.HTTP).port(80)
        .defaultActions(a -> a.type(ActionTypeEnum.FIXED_RESPONSE).fixedResponseConfig(f -> f.statusCode("404")))).join()
        .listeners().get(0).listenerArn();
    elb.createRule(b -> b.listenerArn(listener).priority(1).conditions(c -> c.field("path-pattern").values("/a"))
        .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(tg))).join();
    elb.deleteLoadBalancer(b -> b.loadBalancerArn(lb)).join();
    assertRefused(() -> elb.deleteTargetGroup(b -> b.targetGroupArn(tg)).join(), "ResourceInUse");
    elb.deleteTargetGroup(b -> b.targetGroupArn(other)).join();
    now.addAndGet(5_000);
    elb.deleteTargetGroup(b -> b.targetGroupArn(tg)).join();
  }

  @Test
  void rulesAreCountedPerLoadBalancer(Env env) throws Exception {
    start(env, new StrictElbv2.Settings(7, 0, 0, 2));
    String lbA = elb.createLoadBalancer(lb(env, "strict-rules-a", LoadBalancerSchemeEnum.INTERNET_FACING)).join().loadBalancers().get(0).loadBalancerArn();
    String lbB = elb.createLoadBalancer(lb(env, "strict-rules-b", LoadBalancerSchemeEnum.INTERNET_FACING)).join().loadBalancers().get(0).loadBalancerArn();
    String http = listener(lbA, 80);
    String https = listener(lbA, 8080);
    String other = listener(lbB, 80);
    rule(http, 1);
    rule(https, 1);
    assertRefused(() -> rule(http, 2), "TooManyRules");
    rule(other, 1);
    rule(other, 2);
  }

  @Test
  void deletionProtectionRefusesDeleteLoadBalancer(Env env) throws Exception {
    start(env, plain());
    String lb = elb.createLoadBalancer(lb(env, "strict-protected", LoadBalancerSchemeEnum.INTERNET_FACING)).join().loadBalancers().get(0).loadBalancerArn();
    elb.modifyLoadBalancerAttributes(b -> b.loadBalancerArn(lb).attributes(a -> a.key("deletion_protection.enabled").value("true"))).join();
    assertRefused(() -> elb.deleteLoadBalancer(b -> b.loadBalancerArn(lb)).join(), "OperationNotPermitted");
    elb.modifyLoadBalancerAttributes(b -> b.loadBalancerArn(lb).attributes(a -> a.key("deletion_protection.enabled").value("false"))).join();
    elb.deleteLoadBalancer(b -> b.loadBalancerArn(lb)).join();
    assertThat(elb.describeLoadBalancers(b -> {}).join().loadBalancers()).isEmpty();
  }

  @Test
  void aNewResourceIsMissingFromDescribeForASeededDelay(Env env) throws Exception {
    start(env, new StrictElbv2.Settings(7, 2_000, 0, 100));
    String lb = elb.createLoadBalancer(lb(env, "strict-late", LoadBalancerSchemeEnum.INTERNET_FACING)).join().loadBalancers().get(0).loadBalancerArn();
    String tg = elb.createTargetGroup(tg(env, "strict-late", 80)).join().targetGroups().get(0).targetGroupArn();
    assertThat(elb.describeLoadBalancers(b -> {}).join().loadBalancers()).isEmpty();
    assertThat(elb.describeTargetGroups(b -> {}).join().targetGroups()).isEmpty();
    assertRefused(() -> elb.describeTargetGroups(b -> b.targetGroupArns(tg)).join(), "TargetGroupNotFound");
    assertRefused(() -> elb.describeLoadBalancers(b -> b.names("strict-late")).join(), "LoadBalancerNotFound");
    // a create by name still sees it: ELBv2 decides "exists" itself, whatever Describe* shows
    assertThat(elb.createLoadBalancer(lb(env, "strict-late", LoadBalancerSchemeEnum.INTERNET_FACING)).join().loadBalancers().get(0)
        .loadBalancerArn()).isEqualTo(lb);
    now.addAndGet(2_000);
    assertThat(elb.describeLoadBalancers(b -> {}).join().loadBalancers()).extracting(l -> l.loadBalancerArn()).containsExactly(lb);
    assertThat(elb.describeTargetGroups(b -> b.targetGroupArns(tg)).join().targetGroups()).hasSize(1);
  }

  private String listener(String lb, int port) {
    return elb.createListener(b -> b.loadBalancerArn(lb).protocol(ProtocolEnum.HTTP).port(port)
        .defaultActions(a -> a.type(ActionTypeEnum.FIXED_RESPONSE).fixedResponseConfig(f -> f.statusCode("404")))).join()
        .listeners().get(0).listenerArn();
  }

  private void rule(String listener, int priority) {
    elb.createRule(b -> b.listenerArn(listener).priority(priority).conditions(c -> c.field("path-pattern").values("/p" + priority))
        .actions(a -> a.type(ActionTypeEnum.FIXED_RESPONSE).fixedResponseConfig(f -> f.statusCode("200")))).join();
  }
}
