package io.albingress.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClusterFactsTest {
  static final Certificate DISCOVERABLE = new Certificate("arn:acm:user", Certificate.ISSUED, List.of("*.example.com"));
  static final Certificate IMPORTED = new Certificate("arn:acm:imported", Certificate.ISSUED, List.of("shop.example.com"));

  @Test
  void certificatesImportedForCertificateRefsAreNotDiscovered() {
    ClusterFacts facts = new ClusterFacts("prod", "us-west-2", "vpc-1", Known.of(List.of()), Known.of(List.of(DISCOVERABLE, IMPORTED)), Map.of());
    assertThat(facts.withoutCertificates(Set.of("arn:acm:imported")).certificates().get()).containsExactly(DISCOVERABLE);
    assertThat(facts.withoutCertificates(Set.of())).isSameAs(facts);
    ClusterFacts offline = new ClusterFacts("prod", "", "", Known.unknown("offline"), Known.unknown("offline"), Map.of());
    assertThat(offline.withoutCertificates(Set.of("arn:acm:imported"))).isSameAs(offline);
  }
}
