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
