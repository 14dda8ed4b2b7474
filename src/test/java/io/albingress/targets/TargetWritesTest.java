package io.albingress.targets;

import static org.assertj.core.api.Assertions.assertThat;

import io.albingress.deploy.AwsFailure;
import io.albingress.deploy.FakeElbv2;
import io.albingress.model.Target;
import io.vertx.core.Future;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One refused target (InvalidTarget, which fails ELBv2's whole RegisterTargets call) does not block the others. */
class TargetWritesTest {
  private static final String TG = "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/k8s-shop-web/1";
  private final FakeElbv2 elb = new FakeElbv2();

  private static <T> T done(Future<T> f) {
    assertThat(f.isComplete()).isTrue();
    if (f.failed()) {
      throw new AssertionError(f.cause());
    }
    return f.result();
  }

  @Test
  void aRefusedTargetIsIsolatedTheOthersAreRegisteredAndDeregistrationsGoThrough() {
    done(elb.registerTargets(TG, List.of(new Target("10.0.0.9", 80))));
    elb.refuseTargets("10.99.0.1");

    Set<Target> refused = done(TargetWrites.apply(elb, TG, List.of(new Target("10.0.0.1", 80), new Target("10.0.0.2", 80),
        new Target("10.99.0.1", 80)), List.of(new Target("10.0.0.9", 80))));

    assertThat(refused).containsExactly(new Target("10.99.0.1", 80));
    assertThat(elb.registered(TG)).containsExactlyInAnyOrder(new Target("10.0.0.1", 80), new Target("10.0.0.2", 80));
    assertThat(elb.calls()).contains("deregisterTargets " + TG + " [10.0.0.9]");
  }

  @Test
  void aRefusedTargetAloneIsRetriedOnItsOwnAndOtherFailuresStillFail() {
    elb.refuseTargets("10.99.0.1");
    assertThat(done(TargetWrites.apply(elb, TG, List.of(new Target("10.99.0.1", 80)), List.of()))).containsExactly(new Target("10.99.0.1", 80));
    assertThat(elb.calls()).containsExactly("registerTargets " + TG + " [10.99.0.1]");

    elb.failNext("registerTargets", AwsFailure.Kind.THROTTLING);
    Future<Set<Target>> throttled = TargetWrites.apply(elb, TG, List.of(new Target("10.0.0.1", 80)), List.of(new Target("10.0.0.9", 80)));
    assertThat(throttled.failed()).isTrue();
    // registration first: a failure that is not a refusal keeps the old targets (the group never gets emptier than it must)
    assertThat(elb.calls()).noneMatch(c -> c.startsWith("deregisterTargets"));
  }
}
