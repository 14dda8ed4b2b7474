package io.albingress.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.model.StackId;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OrphanSweepTest {
  @Test
  void stacksOwningResourcesWithoutAnIngressAreOrphans() {
    Set<String> owning = Set.of("shop/web", "shop/gone", "payments", "old-group", "");
    Set<StackId> known = Set.of(StackId.ingress("shop", "web"), StackId.group("payments"));

    assertThat(OrphanSweep.orphans(owning, known, Optional.empty()))
        .containsExactlyInAnyOrder(StackId.ingress("shop", "gone"), StackId.group("old-group"));
  }

  @Test
  void withAWatchedNamespaceOnlyItsIngressStacksAreJudged() {
    Set<String> owning = Set.of("shop/gone", "other/web", "old-group");

    assertThat(OrphanSweep.orphans(owning, Set.of(), Optional.of("shop"))).containsExactly(StackId.ingress("shop", "gone"));
  }

  @Test
  void gatewayStacksAreJudgedByTheirOwnKey() {
    Set<String> owning = Set.of("gateway:shop/gw", "shop/gw", "gateway:shop/gone");
    Set<StackId> known = Set.of(StackId.gatewayOf("shop", "gw"));

    assertThat(OrphanSweep.orphans(owning, known, Optional.of("shop")))
        .containsExactlyInAnyOrder(StackId.ingress("shop", "gw"), StackId.gatewayOf("shop", "gone"));
  }
}
