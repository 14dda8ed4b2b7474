package io.albingress.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.model.Permission;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuleDiffTest {
  private static final String OURS = "elbv2.k8s.aws/cluster=prod";
  private static final String BACKEND = "sg-0000000000000000b";

  private static Permission cidr(int port, String cidr) {
    return Permission.tcpFromCidr(port, cidr);
  }

  private static Permission fromBackend(int port) {
    return Permission.tcp(port, Permission.Peer.SECURITY_GROUP, BACKEND);
  }

  private static RuleDiff.Rule rule(Permission p, String description) {
    return new RuleDiff.Rule(p, description);
  }

  @Test
  void exactAuthorizesTheMissingAndRevokesTheRest() {
    RuleDiff d = RuleDiff.exact(Set.of(cidr(443, "0.0.0.0/0"), cidr(80, "10.0.0.0/8")),
        List.of(rule(cidr(80, "0.0.0.0/0"), ""), rule(cidr(80, "10.0.0.0/8"), "")));
    assertThat(d.authorize()).containsExactly(cidr(443, "0.0.0.0/0"));
    assertThat(d.revokedPermissions()).containsExactly(cidr(80, "0.0.0.0/0"));
  }

  @Test
  void nothingToDoWhenEqual() {
    assertThat(RuleDiff.exact(Set.of(cidr(80, "0.0.0.0/0")), List.of(rule(cidr(80, "0.0.0.0/0"), "x"))).empty()).isTrue();
  }

  @Test
  void onlyOurRulesAreRevokedAndKeptPortsStay() {
    List<RuleDiff.Rule> actual = List.of(
        rule(fromBackend(30080), OURS),          // wanted
        rule(fromBackend(30081), OURS),          // another stack still needs it
        rule(fromBackend(30082), OURS),          // nobody needs it: revoked
        rule(fromBackend(30083), "someone else"), // not ours
        rule(cidr(22, "10.0.0.0/8"), ""));       // not ours
    RuleDiff d = RuleDiff.of(Set.of(fromBackend(30080), fromBackend(30090)), Set.of(fromBackend(30081)), actual,
        r -> OURS.equals(r.description()));
    assertThat(d.authorize()).containsExactly(fromBackend(30090));
    assertThat(d.revokedPermissions()).containsExactly(fromBackend(30082));
    // revoked as described: the description travels with the rule
    assertThat(d.revoke()).containsExactly(rule(fromBackend(30082), OURS));
  }

  @Test
  void anIdenticalRuleOfSomeoneElseCountsAsPresent() {
    RuleDiff d = RuleDiff.of(Set.of(fromBackend(30080)), Set.of(), List.of(rule(fromBackend(30080), "manual")), r -> false);
    assertThat(d.empty()).isTrue();
  }

  @Test
  void otherProtocolsAndRangesAreDistinctPermissions() {
    Permission udp = new Permission("udp", 80, 80, Permission.Peer.IPV4_CIDR, "0.0.0.0/0");
    Permission range = new Permission("tcp", 80, 81, Permission.Peer.IPV4_CIDR, "0.0.0.0/0");
    RuleDiff d = RuleDiff.exact(Set.of(cidr(80, "0.0.0.0/0")), List.of(rule(udp, ""), rule(range, "")));
    assertThat(d.authorize()).containsExactly(cidr(80, "0.0.0.0/0"));
    assertThat(d.revokedPermissions()).containsExactlyInAnyOrder(udp, range);
  }
}
