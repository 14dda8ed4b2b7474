package io.albingress.stack;

import static io.albingress.stack.StackFixtures.FACTS;
import static io.albingress.stack.StackFixtures.a;
import static io.albingress.stack.StackFixtures.group;
import static io.albingress.stack.StackFixtures.ingress;
import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.model.IngressGroup;
import io.albingress.model.ParsedIngress;
import io.albingress.model.Stack;
import org.junit.jupiter.api.Test;

/** A group build parses each member once: validation, group checks and the builder share that value. */
class StackBuilderParseOnceTest {
  private static String member(String name, String path, String service, int order) {
    return ingress(name, a("group.name", "shop", "group.order", String.valueOf(order), "scheme", "internet-facing", "target-type", "ip"), """
        rules:
          - host: shop.example.com
            http:
              paths:
                - {path: %s, pathType: Prefix, backend: {service: {name: %s, port: {number: 80}}}}
        """.formatted(path, service));
  }

  @Test
  void eachMemberOfAGroupIsParsedOncePerBuild() {
    IngressGroup g = group(member("a", "/a", "web", 1), member("b", "/b", "search", 2), member("c", "/c", "cart", 3),
        member("d", "/d", "web", 4));
    long before = ParsedIngress.built();
    Stack stack = StackFixtures.build(g, FACTS);
    long parses = ParsedIngress.built() - before;
    assertThat(stack.errors()).isEmpty();
    assertThat(stack.members()).hasSize(4);
    // before: each member was parsed again for every later member's group checks (O(n²)) and twice more by the builder
    assertThat(parses).isEqualTo(4);
  }
}
