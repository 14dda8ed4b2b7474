package io.albingress.gateway;

import static io.albingress.gateway.LoadBalancerConfigTest.fields;
import static io.albingress.gateway.LoadBalancerConfigTest.spec;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** spec.tags of the three configurations, read once (SpecReader.stringMap): in order, a value that is not a string named by key. */
class SpecTagsTest {
  @Test
  void everyConfigurationReadsItsTagsTheSameWay() {
    assertThat(LoadBalancerConfigParser.parse(spec("tags: {b: \"2\", a: \"1\"}\n")).value().tags()).containsExactly(
        java.util.Map.entry("b", "2"), java.util.Map.entry("a", "1"));
    assertThat(ListenerRuleConfigParser.parse(spec("tags: {team: web}\n")).value().tags()).containsEntry("team", "web");
    assertThat(TargetGroupConfigParser.parse(spec("defaultConfiguration: {tags: {team: web}}\n")).value().defaults().tags())
        .containsEntry("team", "web");

    assertThat(fields(LoadBalancerConfigParser.parse(spec("tags: {n: 1}\n")))).containsExactly("spec.tags.n");
    assertThat(fields(ListenerRuleConfigParser.parse(spec("tags: {n: [x]}\n")))).containsExactly("spec.tags.n");
    assertThat(fields(TargetGroupConfigParser.parse(spec("defaultConfiguration: {tags: {n: true}}\n"))))
        .containsExactly("spec.defaultConfiguration.tags.n");
    assertThat(fields(LoadBalancerConfigParser.parse(spec("tags: [a]\n")))).containsExactly("spec.tags");
  }
}
