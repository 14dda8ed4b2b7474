package io.albingress.deploy;

import io.albingress.annotations.MutualAuthentication;
import io.albingress.annotations.Protocol;
import io.albingress.model.Listener;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.MutualAuthenticationAttributes;

/**
 * Listeners, matched by port: surplus ones deleted first, then the others modified or created in
 * parallel. Changes carry each listener's ARN, so rules can resolve their listener reference.
 */
final class ListenerSynth {
  static final String KIND = "Listener";

  private final Elbv2 elb;
  private final ListenerCertificateSynth certificates;
  private final ListenerAttributeSynth attributes;
  private final TrustStoreNames trustStores;

  ListenerSynth(Elbv2 elb) {
    this.elb = elb;
    this.certificates = new ListenerCertificateSynth(elb);
    this.attributes = new ListenerAttributeSynth(elb);
    this.trustStores = new TrustStoreNames(elb);
  }

  /**
   * Protocol, default actions, default certificate or (HTTPS) SSL policy or mutual TLS differ: ModifyListener.
   * {@code desired}'s trust store is an ARN by now. Pure.
   */
  static boolean drifted(Listener desired, List<Action> defaultActions, ActualListener actual) {
    return !desired.protocol().wireName().equals(actual.protocol())
        || !SdkModel.canonical(defaultActions).equals(SdkModel.canonical(actual.defaultActions()))
        || !Objects.equals(desired.certificateArns().stream().findFirst(), actual.certificateArns().stream().findFirst())
        || desired.protocol() == Protocol.HTTPS && !Objects.equals(desired.sslPolicy().orElse(null), actual.sslPolicy())
        || desired.protocol() == Protocol.HTTPS && mutualAuthenticationDrifted(desired.mutualAuthentication(), actual.mutualAuthentication());
  }

  /**
   * Absent or off wants AWS to have none or off (the reference's enhanced defaulting: removing the
   * annotation turns mutual TLS off); passthrough wants passthrough; verify compares trust store,
   * expiry handling (AWS default false) and CA-name advertising (AWS default off). Pure.
   */
  static boolean mutualAuthenticationDrifted(java.util.Optional<MutualAuthentication> desired, MutualAuthenticationAttributes actual) {
    String actualMode = actual == null || actual.mode() == null ? "off" : actual.mode();
    MutualAuthentication.Mode mode = desired.map(MutualAuthentication::mode).orElse(MutualAuthentication.Mode.OFF);
    if (!mode.wireName().equals(actualMode)) {
      return true;
    }
    if (mode != MutualAuthentication.Mode.VERIFY) {
      return false;
    }
    MutualAuthentication d = desired.get();
    return !Objects.equals(d.trustStore().orElse(null), actual.trustStoreArn())
        || d.ignoreClientCertificateExpiry().orElse(false) != Boolean.TRUE.equals(actual.ignoreClientCertificateExpiry())
        || !d.advertiseTrustStoreCaNames().orElse("off").equals(
            actual.advertiseTrustStoreCaNamesAsString() == null ? "off" : actual.advertiseTrustStoreCaNamesAsString());
  }

  /** @param actual the load balancer's listeners (none for a load balancer created in this run) */
  Future<List<Change>> sync(List<Listener> desired, List<ActualListener> actual, Refs refs) {
    return sync(desired, actual, refs, false);
  }

  /** @param reapplyOidc the OIDC client secrets changed: modify every listener whose default actions authenticate with OIDC */
  Future<List<Change>> sync(List<Listener> desiredListeners, List<ActualListener> actual, Refs refs, boolean reapplyOidc) {
    // a trust store deleted and made again under its name has a new ARN: a NotFound forgets the cached ones
    return trustStores.resolve(desiredListeners).compose(desired -> syncResolved(desired, actual, refs, reapplyOidc))
        .onFailure(e -> {
          if (e instanceof AwsFailure f && f.kind() == AwsFailure.Kind.NOT_FOUND) {
            trustStores.forget();
          }
        });
  }

  private Future<List<Change>> syncResolved(List<Listener> desired, List<ActualListener> actual, Refs refs, boolean reapplyOidc) {
    Matching<Listener, ActualListener> m = Matching.match(desired, Listener::port, actual, ActualListener::port);
    Future<List<Change>> deleted = Future.join(m.toDelete().stream()
        .map(l -> elb.deleteListener(l.arn()).map(v -> Change.deleted(KIND, String.valueOf(l.port())))).toList())
        .map(f -> f.<Change>list());
    return deleted.compose(gone -> {
      List<Future<List<Change>>> steps = new ArrayList<>();
      m.matched().forEach(p -> steps.add(update(p.desired(), p.actual(), refs, reapplyOidc)));
      m.toCreate().forEach(l -> steps.add(create(l, refs)));
      return Future.join(steps).map(f -> Change.concat(gone, f.<List<Change>>list().stream().flatMap(List::stream).toList()));
    });
  }

  private Future<List<Change>> create(Listener l, Refs refs) {
    String lbArn = refs.arn(l.loadBalancer());
    List<Action> action = SdkModel.actions(l.defaultAction(), refs);
    // after a lost answer: the listener on this port, if an earlier attempt made it (it is on our load balancer: ours)
    return SafeCreate.create(() -> elb.createListener(lbArn, l, action), () -> elb.describeListeners(lbArn)
            .map(ls -> ls.stream().filter(a -> a.port() == l.port()).map(ActualListener::arn).findFirst()), Set.of("DuplicateListener"))
        .compose(arn -> certificates.sync(l.resourceId(), arn, l.certificateArns(), l.certificateArns().stream().limit(1).toList())
            .compose(sni -> attributes.sync(l.resourceId(), arn, l.attributes(), true)
                .map(attrs -> List.of(Change.created(KIND, l.resourceId(), arn), sni, attrs))));
  }

  private Future<List<Change>> update(Listener desired, ActualListener actual, Refs refs, boolean reapplyOidc) {
    List<Action> action = SdkModel.actions(desired.defaultAction(), refs);
    boolean drifted = drifted(desired, action, actual) || reapplyOidc && SdkModel.hasOidc(action);
    Future<Change> self = drifted ? elb.modifyListener(actual.arn(), desired, action).map(v -> Change.modified(KIND, desired.resourceId(), actual.arn()))
        : Future.succeededFuture(Change.unchanged(KIND, desired.resourceId(), actual.arn()));
    return self.compose(listener -> certificates.sync(desired.resourceId(), actual.arn(), desired.certificateArns(), actual.certificateArns())
        .compose(sni -> attributes.sync(desired.resourceId(), actual.arn(), desired.attributes(), false)
            .map(attrs -> List.of(listener, sni, attrs))));
  }
}
