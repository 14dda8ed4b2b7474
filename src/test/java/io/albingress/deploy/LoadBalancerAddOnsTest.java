package io.albingress.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.annotations.IpAddressType;
import io.albingress.annotations.Scheme;
import io.albingress.deploy.ShieldPort.Protection;
import io.albingress.model.LoadBalancer;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class LoadBalancerAddOnsTest {
  static final String LB = "arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/k8s-shop-web/0123456789abcdef";
  static final String LB2 = "arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/k8s-shop-api/0123456789abcdee";
  static final String ACL_A = "arn:aws:wafv2:us-west-2:123456789012:regional/webacl/a/11111111-1111-1111-1111-111111111111";
  static final String ACL_B = "arn:aws:wafv2:us-west-2:123456789012:regional/webacl/b/22222222-2222-2222-2222-222222222222";

  final FakeAddOnPorts aws = new FakeAddOnPorts();
  final LoadBalancerAddOns addOns = aws.addOns();

  static LoadBalancer lb(Optional<String> wafv2Arn, Optional<String> wafv2Name, Optional<String> wafClassic, Optional<Boolean> shield) {
    return new LoadBalancer(LoadBalancer.RESOURCE_ID, "k8s-shop-web", Scheme.INTERNET_FACING, IpAddressType.IPV4,
        List.of("subnet-1", "subnet-2"), List.of(), Map.of(), wafv2Arn, shield, wafv2Name, wafClassic, Map.of());
  }

  static LoadBalancer none() {
    return lb(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  static LoadBalancer wafv2(String arn) {
    return lb(Optional.of(arn), Optional.empty(), Optional.empty(), Optional.empty());
  }

  static LoadBalancer wafv2Name(String name) {
    return lb(Optional.empty(), Optional.of(name), Optional.empty(), Optional.empty());
  }

  static LoadBalancer classic(String id) {
    return lb(Optional.empty(), Optional.empty(), Optional.of(id), Optional.empty());
  }

  static LoadBalancer shield(boolean on) {
    return lb(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(on));
  }

  static <T> T await(Future<T> f) {
    assertThat(f.isComplete()).as("the fakes answer at once").isTrue();
    if (f.failed()) {
      throw new AssertionError(f.cause());
    }
    return f.result();
  }

  List<AddOnChange> apply(LoadBalancer desired, String lbArn) {
    return await(addOns.apply(desired, lbArn, false, false));
  }

  @Nested
  class DriftPredicates {
    @Test
    void wafv2() {
      assertThat(Wafv2Association.change(ACL_A, Optional.empty())).contains(new Wafv2Association.Associate(ACL_A));
      assertThat(Wafv2Association.change(ACL_A, Optional.of(ACL_A))).isEmpty();
      assertThat(Wafv2Association.change(ACL_B, Optional.of(ACL_A))).contains(new Wafv2Association.Associate(ACL_B));
      assertThat(Wafv2Association.change("none", Optional.of(ACL_A))).contains(new Wafv2Association.Disassociate());
      assertThat(Wafv2Association.change("none", Optional.empty())).isEmpty();
    }

    @Test
    void wafClassic() {
      assertThat(WafClassicAssociation.change("id-1", Optional.empty())).contains(new WafClassicAssociation.Associate("id-1"));
      assertThat(WafClassicAssociation.change("id-1", Optional.of("id-1"))).isEmpty();
      assertThat(WafClassicAssociation.change("id-2", Optional.of("id-1"))).contains(new WafClassicAssociation.Associate("id-2"));
      assertThat(WafClassicAssociation.change("none", Optional.of("id-1"))).contains(new WafClassicAssociation.Disassociate());
      assertThat(WafClassicAssociation.change("none", Optional.empty())).isEmpty();
    }

    @Test
    void shield() {
      Protection ours = new Protection("p-1", ShieldProtection.MANAGED_NAME);
      Protection legacy = new Protection("p-2", "managed by aws-alb-ingress-controller");
      Protection someoneElses = new Protection("p-3", "security team");
      assertThat(ShieldProtection.change(true, Optional.empty())).contains(new ShieldProtection.Create());
      assertThat(ShieldProtection.change(true, Optional.of(someoneElses))).isEmpty();
      assertThat(ShieldProtection.change(false, Optional.of(ours))).contains(new ShieldProtection.Delete("p-1"));
      assertThat(ShieldProtection.change(false, Optional.of(legacy))).contains(new ShieldProtection.Delete("p-2"));
      assertThat(ShieldProtection.change(false, Optional.of(someoneElses))).isEmpty();
      assertThat(ShieldProtection.change(false, Optional.empty())).isEmpty();
    }
  }

  @Test
  void absentAnnotationsLeaveEverythingAloneWithoutACall() {
    aws.wafv2.put(LB, ACL_A);
    aws.wafClassic.put(LB, "id-1");
    aws.protections.put(LB, new Protection("p-9", ShieldProtection.MANAGED_NAME));
    assertThat(apply(none(), LB)).isEmpty();
    assertThat(await(addOns.apply(none(), LB, false, true))).isEmpty();
    assertThat(aws.calls).isEmpty();
    assertThat(aws.wafv2).containsEntry(LB, ACL_A);
    assertThat(aws.wafClassic).containsEntry(LB, "id-1");
    assertThat(aws.protections).containsKey(LB);
  }

  @Test
  void aNewLoadBalancerIsAssociatedWithoutReadingFirst() {
    LoadBalancer all = lb(Optional.of(ACL_A), Optional.empty(), Optional.of("id-1"), Optional.of(true));
    await(addOns.apply(all, LB, true, false));
    assertThat(aws.calls).containsExactlyInAnyOrder("AssociateWebACL " + LB, "AssociateWebACL(regional) " + LB, "CreateProtection " + LB);
    assertThat(aws.protections.get(LB).name()).isEqualTo(ShieldProtection.MANAGED_NAME);
  }

  @Test
  void unchangedCostsNoCallOnceSeen() {
    LoadBalancer all = lb(Optional.of(ACL_A), Optional.empty(), Optional.of("id-1"), Optional.of(true));
    assertThat(apply(all, LB)).hasSize(3);
    aws.calls.clear();
    assertThat(apply(all, LB)).isEmpty();
    assertThat(aws.calls).isEmpty();
  }

  @Test
  void aRestartReadsOnceAndChangesNothing() {
    LoadBalancer all = lb(Optional.of(ACL_A), Optional.empty(), Optional.of("id-1"), Optional.of(true));
    apply(all, LB);
    aws.calls.clear();
    LoadBalancerAddOns restarted = aws.addOns();
    assertThat(await(restarted.apply(all, LB, false, false))).isEmpty();
    assertThat(aws.calls).hasSize(3);
    assertThat(aws.mutatingCalls()).isEmpty();
    aws.calls.clear();
    await(restarted.apply(all, LB, false, false));
    assertThat(aws.calls).isEmpty();
  }

  @Test
  void theDeepCheckReadsAgainAndRepairsDrift() {
    apply(wafv2(ACL_A), LB);
    aws.wafv2.remove(LB);  // someone removed it in the console
    aws.calls.clear();
    assertThat(apply(wafv2(ACL_A), LB)).as("remembered: no call").isEmpty();
    assertThat(await(addOns.apply(wafv2(ACL_A), LB, false, true))).containsExactly(new Wafv2Association.Associate(ACL_A));
    assertThat(aws.calls).containsExactly("GetWebACLForResource " + LB, "AssociateWebACL " + LB);
    assertThat(aws.wafv2).containsEntry(LB, ACL_A);
  }

  @Nested
  class Wafv2 {
    @Test
    void changingTheArnReplacesTheAssociationInOneCall() {
      apply(wafv2(ACL_A), LB);
      aws.calls.clear();
      assertThat(apply(wafv2(ACL_B), LB)).containsExactly(new Wafv2Association.Associate(ACL_B));
      assertThat(aws.calls).containsExactly("AssociateWebACL " + LB);
      assertThat(aws.wafv2).containsEntry(LB, ACL_B);
    }

    @Test
    void noneRemovesTheAssociation() {
      aws.wafv2.put(LB, ACL_A);
      assertThat(apply(wafv2("none"), LB)).containsExactly(new Wafv2Association.Disassociate());
      assertThat(aws.wafv2).doesNotContainKey(LB);
      aws.calls.clear();
      assertThat(apply(wafv2("none"), LB)).isEmpty();
      assertThat(aws.calls).isEmpty();
    }

    @Test
    void noneWithNothingAssociatedMakesNoMutatingCall() {
      assertThat(apply(wafv2("none"), LB)).isEmpty();
      assertThat(aws.calls).containsExactly("GetWebACLForResource " + LB);
    }

    @Test
    void aNameIsResolvedToItsArnOnceForAllLoadBalancers() {
      aws.webAcls.put("a", ACL_A);
      aws.webAcls.put("b", ACL_B);
      assertThat(apply(wafv2Name("b"), LB)).containsExactly(new Wafv2Association.Associate(ACL_B));
      assertThat(apply(wafv2Name("b"), LB2)).containsExactly(new Wafv2Association.Associate(ACL_B));
      assertThat(aws.calls.stream().filter(c -> c.equals("ListWebACLs"))).hasSize(1);
      assertThat(aws.wafv2).containsEntry(LB, ACL_B).containsEntry(LB2, ACL_B);
    }

    @Test
    void aNameWinsOverAnArnAndNoneByNameRemoves() {
      aws.webAcls.put("a", ACL_A);
      assertThat(apply(lb(Optional.of(ACL_B), Optional.of("a"), Optional.empty(), Optional.empty()), LB))
          .containsExactly(new Wafv2Association.Associate(ACL_A));
      assertThat(apply(wafv2Name("none"), LB)).containsExactly(new Wafv2Association.Disassociate());
      assertThat(aws.wafv2).isEmpty();
    }

    @Test
    void anUnknownNameFailsWithItsNameAndIsLookedUpAgainNextTime() {
      Future<List<AddOnChange>> first = addOns.apply(wafv2Name("later"), LB, false, false);
      assertThat(first.failed()).isTrue();
      assertThat(first.cause()).hasMessageContaining("no regional WAFv2 web ACL named \"later\"");
      assertThat(aws.mutatingCalls()).isEmpty();
      aws.webAcls.put("later", ACL_A);
      assertThat(apply(wafv2Name("later"), LB)).containsExactly(new Wafv2Association.Associate(ACL_A));
      assertThat(aws.calls.stream().filter(c -> c.equals("ListWebACLs"))).hasSize(2);
    }

    @Test
    void aFailedCallIsForgottenAndReadAgain() {
      apply(wafv2(ACL_A), LB);
      aws.failure = new IllegalStateException("throttled");
      assertThat(addOns.apply(wafv2(ACL_B), LB, false, false).failed()).isTrue();
      aws.failure = null;
      aws.calls.clear();
      apply(wafv2(ACL_B), LB);
      assertThat(aws.calls).containsExactly("GetWebACLForResource " + LB, "AssociateWebACL " + LB);
    }
  }

  @Nested
  class WafClassic {
    @Test
    void associatesChangesAndRemoves() {
      assertThat(apply(classic("id-1"), LB)).containsExactly(new WafClassicAssociation.Associate("id-1"));
      assertThat(apply(classic("id-2"), LB)).containsExactly(new WafClassicAssociation.Associate("id-2"));
      assertThat(aws.wafClassic).containsEntry(LB, "id-2");
      assertThat(apply(classic("none"), LB)).containsExactly(new WafClassicAssociation.Disassociate());
      assertThat(aws.wafClassic).isEmpty();
      assertThat(aws.mutatingCalls()).containsExactly("AssociateWebACL(regional) " + LB, "AssociateWebACL(regional) " + LB,
          "DisassociateWebACL(regional) " + LB);
    }
  }

  @Nested
  class Shield {
    @Test
    void trueCreatesOnceAndFalseDeletesOurs() {
      assertThat(apply(shield(true), LB)).containsExactly(new ShieldProtection.Create());
      assertThat(apply(shield(true), LB)).isEmpty();
      String id = aws.protections.get(LB).id();
      assertThat(apply(shield(false), LB)).containsExactly(new ShieldProtection.Delete(id));
      assertThat(aws.protections).isEmpty();
      assertThat(apply(shield(false), LB)).isEmpty();
      assertThat(aws.mutatingCalls()).containsExactly("CreateProtection " + LB, "DeleteProtection " + id);
    }

    @Test
    void falseLeavesSomeoneElsesProtection() {
      aws.protections.put(LB, new Protection("p-7", "security team"));
      assertThat(apply(shield(false), LB)).isEmpty();
      assertThat(aws.protections).containsKey(LB);
      assertThat(aws.mutatingCalls()).isEmpty();
    }
  }

  @Test
  void oneFailingAddOnFailsTheRunAfterTheOthersAreApplied() {
    aws.webAcls.clear();
    LoadBalancer both = lb(Optional.empty(), Optional.of("missing"), Optional.empty(), Optional.of(true));
    Future<List<AddOnChange>> run = addOns.apply(both, LB, false, false);
    assertThat(run.failed()).isTrue();
    assertThat(aws.protections).containsKey(LB);
  }

  @Test
  void aDeletedLoadBalancerIsForgotten() {
    apply(wafv2(ACL_A), LB);
    addOns.forget(LB);
    aws.calls.clear();
    apply(wafv2(ACL_A), LB);
    assertThat(aws.calls).containsExactly("GetWebACLForResource " + LB);
  }
}
