package io.albingress.deploy;

import static io.albingress.deploy.DeployFixtures.basic;
import static io.albingress.deploy.DeployFixtures.done;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.annotations.Scheme;
import io.albingress.gateway.GatewayInputs;
import io.albingress.gateway.GatewayStackBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.albingress.model.ClusterFacts;
import io.albingress.model.Known;
import io.albingress.model.Stack;
import io.albingress.model.StackId;
import io.albingress.model.Subnet;
import io.albingress.model.Tags;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Gateway stack goes through the same deployer as an Ingress stack, and the two never share or delete each other's resources. */
class GatewayStackDeployTest {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private final FakeElbv2 elb = new FakeElbv2();
  private final Inventory inventory = new Inventory(elb, DeployFixtures.CLUSTER);
  private final StackDeployer deployer = new StackDeployer(elb, inventory, "vpc-1", new SimpleMeterRegistry(), new FakeAddOnPorts().addOns());

  static Stack gatewayStack() {
    Gateway gw = JSON.unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: web, namespace: shop}
        spec: {gatewayClassName: alb, listeners: [{name: http, port: 80, protocol: HTTP}]}
        """, Gateway.class);
    HTTPRoute route = JSON.unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: web, namespace: shop}
        spec: {parentRefs: [{name: web}], rules: [{backendRefs: [{name: web, port: 80}]}]}
        """, HTTPRoute.class);
    Service svc = JSON.unmarshal("""
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec: {type: NodePort, ports: [{port: 80, nodePort: 30080}]}
        """, Service.class);
    ClusterFacts facts = new ClusterFacts(DeployFixtures.CLUSTER, "us-west-2", "vpc-1", Known.of(List.of(
        new Subnet("subnet-a", "us-west-2a", "vpc-1", Map.of(Subnet.ROLE_INTERNAL_ELB, "1")),
        new Subnet("subnet-b", "us-west-2b", "vpc-1", Map.of(Subnet.ROLE_INTERNAL_ELB, "1")))), Known.of(List.of()), Map.of());
    return new GatewayStackBuilder().build(StackId.gatewayOf("shop", "web"), new GatewayInputs(gw, List.of(route), List.of(svc), Map.of()),
        facts).stack();
  }

  @Test
  void anIngressAndAGatewayOfTheSameNameKeepTheirOwnLoadBalancers() {
    Stack ingress = basic(Scheme.INTERNAL);
    Stack gateway = gatewayStack();
    assertThat(ingress.id().tagValue()).isEqualTo(gateway.id().tagValue()); // same namespace/name
    done(deployer.deploy(ingress, false, new Reconciliation(ingress.id(), 1)));
    done(deployer.deploy(gateway, false, new Reconciliation(gateway.id(), 2)));
    assertThat(elb.loadBalancers()).hasSize(2);
    assertThat(inventory.loadBalancers(gateway.id().key())).singleElement()
        .satisfies(lb -> assertThat(lb.tags()).containsEntry(Tags.GATEWAY_STACK, "shop/web").doesNotContainKey(Tags.STACK));
    assertThat(inventory.loadBalancers(ingress.id().key())).singleElement()
        .satisfies(lb -> assertThat(lb.tags()).containsEntry(Tags.STACK, "shop/web"));

    // the Gateway goes: only its resources are deleted
    Stack empty = new Stack(gateway.id(), List.of(), null, List.of(), List.of(), List.of(), List.of());
    done(deployer.deploy(empty, false, new Reconciliation(gateway.id(), 3)));
    assertThat(elb.loadBalancers()).singleElement().satisfies(lb -> assertThat(lb.tags()).containsEntry(Tags.STACK, "shop/web"));
    assertThat(elb.targetGroups()).hasSize(ingress.targetGroups().size())
        .allSatisfy(tg -> assertThat(tg.tags()).doesNotContainKey(Tags.GATEWAY_STACK));
  }
}
