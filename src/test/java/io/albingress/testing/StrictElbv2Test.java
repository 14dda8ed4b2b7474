package io.albingress.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The strict layer's parsing of recorded ELBv2 query-protocol bodies and answers (StrictElbv2IT runs its rules against moto). */
class StrictElbv2Test {
  /** As the AWS SDK v2 sends a CreateLoadBalancer (recorded through the fault proxy). */
  private static final String CREATE_LB = "Action=CreateLoadBalancer&Version=2015-12-01&Name=k8s-shop-alpha-0123456789"
      + "&Subnets.member.1=subnet-a&Subnets.member.2=subnet-b&Scheme=internet-facing&Type=application&IpAddressType=ipv4"
      + "&Tags.member.1.Key=elbv2.k8s.aws%2Fcluster&Tags.member.1.Value=c1&Tags.member.2.Key=ingress.k8s.aws%2Fstack&Tags.member.2.Value=ns%2Falpha";

  private static final String CREATE_RULE = "Action=CreateRule&Version=2015-12-01&ListenerArn=arn%3Alistener%2F1&Priority=3"
      + "&Conditions.member.1.Field=path-pattern&Conditions.member.1.PathPatternConfig.Values.member.1=%2Fapi%2F*"
      + "&Actions.member.1.Type=forward&Actions.member.1.ForwardConfig.TargetGroups.member.1.TargetGroupArn=arn%3Atg%2Fa"
      + "&Actions.member.1.ForwardConfig.TargetGroups.member.2.TargetGroupArn=arn%3Atg%2Fb&Actions.member.1.TargetGroupArn=arn%3Atg%2Fa";

  private static final String LISTENER = "arn:aws:elasticloadbalancing:us-east-1:1:listener/app/lb/1/L";

  /** A moto that knows one listener with rules r1, r2 at priorities 1, 2 (and its default rule); it records what it is sent. */
  private static AwsAnswer rules(QueryRequest q, java.util.List<QueryRequest> sent) {
    sent.add(q);
    if (!q.action().equals("DescribeRules")) {
      return new AwsAnswer(200, java.util.Map.of(), io.vertx.core.buffer.Buffer.buffer("<SetRulePrioritiesResponse/>"));
    }
    String rule = "<member><RuleArn>arn:aws:elasticloadbalancing:us-east-1:1:listener-rule/app/lb/1/L/%s</RuleArn><Priority>%s</Priority>"
        + "<Actions><member><Type>forward</Type></member></Actions></member>";
    return new AwsAnswer(200, java.util.Map.of(), io.vertx.core.buffer.Buffer.buffer("<DescribeRulesResponse><DescribeRulesResult><Rules>"
        + rule.formatted("r1", "1") + rule.formatted("r2", "2") + rule.formatted("d", "default") + "</Rules></DescribeRulesResult></DescribeRulesResponse>"));
  }

  private static String set(String... rulesAndPriorities) {
    StringBuilder b = new StringBuilder("Action=SetRulePriorities&Version=2015-12-01");
    for (int i = 0; i < rulesAndPriorities.length; i += 2) {
      b.append("&RulePriorities.member.").append(i / 2 + 1).append(".RuleArn=arn%3Aaws%3Aelasticloadbalancing%3Aus-east-1%3A1%3Alistener-rule%2Fapp%2Flb%2F1%2FL%2F")
          .append(rulesAndPriorities[i]).append("&RulePriorities.member.").append(i / 2 + 1).append(".Priority=").append(rulesAndPriorities[i + 1]);
    }
    return b.toString();
  }

  private static String code(AwsAnswer a) {
    return a.ok() ? "ok" : StrictElbv2.first(a.text(), "Code");
  }

  @Test
  void setRulePrioritiesChecksTheListenerAsTheCallLeavesIt() {
    StrictElbv2 strict = new StrictElbv2(new StrictElbv2.Settings(1, 0, 0, 100));
    java.util.List<QueryRequest> sent = new java.util.ArrayList<>();
    StrictElbv2.Moto moto = q -> io.vertx.core.Future.succeededFuture(rules(q, sent));
    assertThat(StrictElbv2.listenerOfRule("arn:aws:elasticloadbalancing:us-east-1:1:listener-rule/app/lb/1/L/r1")).isEqualTo(LISTENER);
    // a shift and a swap: each priority is in use before the call, none after it; moto gets two steps
    assertThat(code(strict.handle(QueryRequest.parse(set("r1", "2", "r2", "3")), moto).result())).isEqualTo("ok");
    assertThat(sent.stream().map(QueryRequest::action)).containsExactly("DescribeRules", "SetRulePriorities", "SetRulePriorities");
    assertThat(sent.get(1).get("RulePriorities.member.1.Priority")).isEqualTo("50000");
    assertThat(sent.get(2).get("RulePriorities.member.1.Priority")).isEqualTo("2");
    assertThat(code(strict.handle(QueryRequest.parse(set("r1", "2", "r2", "1")), moto).result())).isEqualTo("ok");
    // taken by a rule the call does not move, twice in one call, the default rule
    assertThat(code(strict.handle(QueryRequest.parse(set("r1", "2")), moto).result())).isEqualTo("PriorityInUse");
    assertThat(code(strict.handle(QueryRequest.parse(set("r1", "5", "r2", "5")), moto).result())).isEqualTo("PriorityInUse");
    assertThat(code(strict.handle(QueryRequest.parse(set("d", "7")), moto).result())).isEqualTo("OperationNotPermitted");
    assertThat(code(strict.handle(QueryRequest.parse(set("r9", "7")), moto).result())).isEqualTo("RuleNotFound");
  }

  @Test
  void readsAQueryBody() {
    QueryRequest q = QueryRequest.parse(CREATE_LB);
    assertThat(q.isElbv2()).isTrue();
    assertThat(q.action()).isEqualTo("CreateLoadBalancer");
    assertThat(q.list("Subnets")).containsExactly("subnet-a", "subnet-b");
    assertThat(q.get("Tags.member.2.Value")).isEqualTo("ns/alpha");
    assertThat(QueryRequest.parse(q.encode())).isEqualTo(q);
    assertThat(QueryRequest.parse("Action=DescribeSubnets&Version=2016-11-15").isElbv2()).isFalse();
  }

  @Test
  void settingsLeaveOutTagsAndTellOtherSettingsApart() {
    QueryRequest q = QueryRequest.parse(CREATE_LB);
    QueryRequest otherTags = QueryRequest.parse(CREATE_LB.replace("Value=c1", "Value=c2"));
    QueryRequest internal = QueryRequest.parse(CREATE_LB.replace("internet-facing", "internal"));
    assertThat(q.settings()).doesNotContainKeys("Action", "Version", "Tags.member.1.Key").containsEntry("Scheme", "internet-facing");
    assertThat(otherTags.settings()).isEqualTo(q.settings());
    assertThat(internal.settings()).isNotEqualTo(q.settings());
  }

  @Test
  void findsEveryTargetGroupAnActionForwardsTo() {
    assertThat(QueryRequest.parse(CREATE_RULE).valuesOf("TargetGroupArn")).containsExactlyInAnyOrder("arn:tg/a", "arn:tg/b");
  }

  @Test
  void hidesOnlyTheMembersNamed() {
    String answer = "<DescribeTargetGroupsResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\">"
        + "<DescribeTargetGroupsResult><TargetGroups>"
        + "<member><TargetGroupArn>arn:tg/a</TargetGroupArn><LoadBalancerArns><member>arn:lb/1</member></LoadBalancerArns></member>"
        + "<member><TargetGroupArn>arn:tg/b</TargetGroupArn><LoadBalancerArns/></member>"
        + "</TargetGroups></DescribeTargetGroupsResult></DescribeTargetGroupsResponse>";
    String filtered = StrictElbv2.withoutMembers(answer, "TargetGroups", "TargetGroupArn", Set.of("arn:tg/a")::contains);
    assertThat(filtered).contains("arn:tg/b").doesNotContain("arn:tg/a").doesNotContain("arn:lb/1");
    assertThat(StrictElbv2.all(answer, "TargetGroupArn")).containsExactly("arn:tg/a", "arn:tg/b");
    assertThat(StrictElbv2.first(answer, "TargetGroupArn")).isEqualTo("arn:tg/a");
  }

  @Test
  void findsTheListenerOnAPort() {
    String answer = "<DescribeListenersResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\">"
        + "<DescribeListenersResult><Listeners>"
        + "<member><ListenerArn>arn:l/80</ListenerArn><Port>80</Port><DefaultActions><member><Type>fixed-response</Type></member></DefaultActions></member>"
        + "<member><ListenerArn>arn:l/443</ListenerArn><Port>443</Port></member>"
        + "</Listeners></DescribeListenersResult></DescribeListenersResponse>";
    assertThat(StrictElbv2.listenerOnPort(answer, "443")).isEqualTo("arn:l/443");
    assertThat(StrictElbv2.listenerOnPort(answer, "80")).isEqualTo("arn:l/80");
    assertThat(StrictElbv2.listenerOnPort(answer, "8080")).isNull();
  }
}
