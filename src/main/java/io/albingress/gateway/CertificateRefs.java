package io.albingress.gateway;

import io.albingress.gateway.Attachment.Refusal;
import io.albingress.model.TlsPem;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrant;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.SecretObjectReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A Gateway's HTTPS listeners' {@code tls.certificateRefs}: which {@code kubernetes.io/tls} Secrets they name, whether
 * each may be used (a Secret of another namespace than the listener's owner needs a ReferenceGrant there from the
 * owner's kind and namespace) and holds a usable certificate and key ({@link TlsPem}). The owner of a listener is the
 * Gateway, or for a listener merged in from a ListenerSet ({@link ListenerSets#merge}) that ListenerSet: a ref without
 * namespace means the ListenerSet's, and a Gateway's grants do not open Secrets to its ListenerSets (GEP-1713). A listener with a ref that cannot be used is told so in its
 * ResolvedRefs condition ({@code RefNotPermitted}, {@code InvalidCertificateRef}); its usable refs still serve, and
 * a listener none of whose refs can be used is not programmed. The other listeners are not affected. Pure.
 */
public final class CertificateRefs {
  public static final String TLS_TYPE = "kubernetes.io/tls";
  public static final String REF_NOT_PERMITTED = "RefNotPermitted";
  public static final String INVALID_CERTIFICATE_REF = "InvalidCertificateRef";

  private CertificateRefs() {}

  /** A Secret by namespace and name; {@link #key()} is "namespace/name". */
  public record SecretRef(String namespace, String name) {
    public String key() {
      return namespace + "/" + name;
    }
  }

  /**
   * The resolution: per listener name the usable Secrets (in certificateRefs order) and the first problem of its
   * refs; the usable Secrets' PEM.
   */
  public record Resolution(Map<String, List<SecretRef>> usable, Map<String, Refusal> problems, Map<SecretRef, TlsPem> pems) {
    public static final Resolution NONE = new Resolution(Map.of(), Map.of(), Map.of());
  }

  /**
   * What the stack builder uses: per listener name the certificate ARNs of its usable refs (imported into ACM), and
   * per listener the ResolvedRefs problem (also when an import failed).
   */
  public record ListenerCertificates(Map<String, List<String>> arns, Map<String, Refusal> problems) {
    public static final ListenerCertificates NONE = new ListenerCertificates(Map.of(), Map.of());

    public List<String> arns(String listener) {
      return arns.getOrDefault(listener, List.of());
    }

    /**
     * The resolution with the ARNs the imports answered ({@code imported}: Secret key to ARN); a usable Secret
     * without one ({@code failed}: Secret key to why) makes its listener's refs unresolved.
     */
    public static ListenerCertificates of(Resolution r, Map<String, String> imported, Map<String, String> failed) {
      Map<String, List<String>> arns = new LinkedHashMap<>();
      Map<String, Refusal> problems = new LinkedHashMap<>(r.problems());
      r.usable().forEach((listener, refs) -> {
        List<String> out = new ArrayList<>();
        for (SecretRef ref : refs) {
          String arn = imported.get(ref.key());
          if (arn != null) {
            out.add(arn);
            if (failed.containsKey(ref.key())) {
              problems.putIfAbsent(listener, new Refusal(INVALID_CERTIFICATE_REF, "Secret " + ref.key()
                  + " changed but could not be re-imported into ACM (the certificate imported before still serves): " + failed.get(ref.key())));
            }
          } else {
            problems.putIfAbsent(listener, new Refusal(INVALID_CERTIFICATE_REF, "Secret " + ref.key() + " could not be imported into ACM: "
                + failed.getOrDefault(ref.key(), "no import")));
          }
        }
        if (!out.isEmpty()) {
          arns.put(listener, List.copyOf(out));
        }
      });
      return new ListenerCertificates(arns, problems);
    }
  }

  /**
   * Who a listener's certificateRefs are read for: the Gateway, or the ListenerSet a merged listener comes from; kind
   * and namespace are what a ReferenceGrant's {@code from} must name, the namespace also what a ref without one means.
   */
  public record Owner(String kind, String namespace, String name) {
    static Owner of(Gateway gw, Listener l) {
      if (ListenerSets.fromListenerSet(l.getName())) {
        String[] parts = l.getName().split("/", 3);
        return new Owner(ListenerSets.KIND, parts[0], parts[1]);
      }
      return new Owner("Gateway", gw.getMetadata().getNamespace(), gw.getMetadata().getName());
    }

    /** Where a listener's ref is, in messages: the Gateway's field path, or the ListenerSet's. */
    String field(Listener l, int i) {
      String own = "spec.listeners[" + ListenerSets.ownName(l.getName()) + "].tls.certificateRefs[" + i + "]";
      return ListenerSets.KIND.equals(kind) ? "ListenerSet " + namespace + "/" + name + " " + own : own;
    }

    SecretRef secret(SecretObjectReference ref) {
      return new SecretRef(ref.getNamespace() == null || ref.getNamespace().isEmpty() ? namespace : ref.getNamespace(), ref.getName());
    }
  }

  /** The Secrets the Gateway's HTTPS listeners name (for mapping Secret events to Gateways), whatever their grants. */
  public static Set<SecretRef> named(Gateway gw) {
    Set<SecretRef> out = new LinkedHashSet<>();
    for (Listener l : listeners(gw)) {
      Owner owner = Owner.of(gw, l);
      refs(l).stream().filter(CertificateRefs::secretKind).forEach(r -> out.add(owner.secret(r)));
    }
    return out;
  }

  public static Resolution resolve(Gateway gw, List<ReferenceGrant> grants, Function<SecretRef, Optional<Secret>> secrets) {
    Map<String, List<SecretRef>> usable = new LinkedHashMap<>();
    Map<String, Refusal> problems = new LinkedHashMap<>();
    Map<SecretRef, TlsPem> pems = new LinkedHashMap<>();
    for (Listener l : listeners(gw)) {
      if (!"HTTPS".equals(l.getProtocol())) {
        continue;
      }
      Owner owner = Owner.of(gw, l);
      List<SecretRef> ok = new ArrayList<>();
      List<SecretObjectReference> refs = refs(l);
      for (int i = 0; i < refs.size(); i++) {
        SecretObjectReference ref = refs.get(i);
        String field = owner.field(l, i);
        if (!secretKind(ref)) {
          problems.putIfAbsent(l.getName(), new Refusal(INVALID_CERTIFICATE_REF, field + ": kind " + ref.getKind()
              + (ref.getGroup() == null || ref.getGroup().isEmpty() ? "" : " of group " + ref.getGroup()) + " is not supported; only core Secrets"));
          continue;
        }
        SecretRef secret = owner.secret(ref);
        if (!secret.namespace().equals(owner.namespace()) && !granted(grants, owner, secret)) {
          problems.putIfAbsent(l.getName(), new Refusal(REF_NOT_PERMITTED, field + ": Secret " + secret.key()
              + " is in another namespace and no ReferenceGrant there lets " + owner.kind() + "s of " + owner.namespace() + " use it"));
          continue;
        }
        Optional<String> problem = check(secret, secrets.apply(secret), pems);
        if (problem.isPresent()) {
          problems.putIfAbsent(l.getName(), new Refusal(INVALID_CERTIFICATE_REF, field + ": " + problem.get()));
          continue;
        }
        if (!ok.contains(secret)) {
          ok.add(secret);
        }
      }
      if (!ok.isEmpty()) {
        usable.put(l.getName(), List.copyOf(ok));
      }
    }
    return new Resolution(usable, problems, pems);
  }

  private static Optional<String> check(SecretRef ref, Optional<Secret> found, Map<SecretRef, TlsPem> pems) {
    if (pems.containsKey(ref)) {
      return Optional.empty();
    }
    if (found.isEmpty()) {
      return Optional.of("Secret " + ref.key() + " not found");
    }
    Secret s = found.get();
    if (!TLS_TYPE.equals(s.getType())) {
      return Optional.of("Secret " + ref.key() + " is of type " + s.getType() + ", not " + TLS_TYPE);
    }
    TlsPem.Checked checked = TlsPem.check(text(s, "tls.crt"), text(s, "tls.key"));
    if (checked.problem().isPresent()) {
      return Optional.of("Secret " + ref.key() + ": " + checked.problem().get());
    }
    pems.put(ref, checked.pem().get());
    return Optional.empty();
  }

  /** A data key decoded (base64), or its stringData; null when absent or not base64. */
  static String text(Secret s, String key) {
    if (s.getData() != null && s.getData().get(key) != null) {
      try {
        return new String(Base64.getMimeDecoder().decode(s.getData().get(key).trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return s.getStringData() == null ? null : s.getStringData().get(key);
  }

  /**
   * A ReferenceGrant in the Secret's namespace from the owner's kind (Gateway or ListenerSet) in its namespace to that
   * Secret (or all Secrets).
   */
  static boolean granted(List<ReferenceGrant> grants, Owner owner, SecretRef secret) {
    return grants.stream().filter(g -> secret.namespace().equals(g.getMetadata().getNamespace()) && g.getSpec() != null)
        .anyMatch(g -> RouteMapping.nonNull(g.getSpec().getFrom()).stream().anyMatch(f -> Attachment.GROUP.equals(f.getGroup())
                && owner.kind().equals(f.getKind()) && owner.namespace().equals(f.getNamespace()))
            && RouteMapping.nonNull(g.getSpec().getTo()).stream().anyMatch(t -> (t.getGroup() == null || t.getGroup().isEmpty())
                && "Secret".equals(t.getKind()) && (t.getName() == null || t.getName().isEmpty() || t.getName().equals(secret.name()))));
  }

  private static boolean secretKind(SecretObjectReference r) {
    return (r.getGroup() == null || r.getGroup().isEmpty()) && (r.getKind() == null || "Secret".equals(r.getKind()));
  }

  private static List<Listener> listeners(Gateway gw) {
    return gw.getSpec() == null ? List.of() : RouteMapping.nonNull(gw.getSpec().getListeners());
  }

  private static List<SecretObjectReference> refs(Listener l) {
    return l.getTls() == null ? List.of() : RouteMapping.nonNull(l.getTls().getCertificateRefs());
  }
}
