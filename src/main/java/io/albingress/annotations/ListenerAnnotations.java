package io.albingress.annotations;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The per-listener annotations: {@code mutual-authentication} (a JSON list, one entry per port, as the
 * reference's MutualAuthenticationConfig) and {@code listener-attributes.<Protocol>-<Port>}.
 */
public final class ListenerAnnotations {
  public static final String MUTUAL_AUTHENTICATION = "mutual-authentication";
  public static final String ATTRIBUTES_PREFIX = "listener-attributes.";
  static final Pattern ATTRIBUTES_SUFFIX = Pattern.compile("(HTTP|HTTPS)-(\\d{1,5})");
  static final Pattern TRUST_STORE_ARN = Pattern.compile("arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\\d{12}:truststore/[A-Za-z0-9-]{1,32}/[0-9a-f]+");
  /** ELBv2 trust store names: 1 to 32 letters, digits and hyphens, not starting or ending with a hyphen. */
  static final Pattern TRUST_STORE_NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?");

  /** ALB listener attributes (ELBv2 API reference, ListenerAttribute; "Listener attributes" of the ALB guide). */
  public static final Set<String> LISTENER_ATTRIBUTES = Set.of(
      "routing.http.request.x_amzn_mtls_clientcert_serial_number.header_name",
      "routing.http.request.x_amzn_mtls_clientcert_issuer.header_name",
      "routing.http.request.x_amzn_mtls_clientcert_subject.header_name",
      "routing.http.request.x_amzn_mtls_clientcert_validity.header_name",
      "routing.http.request.x_amzn_mtls_clientcert_leaf.header_name",
      "routing.http.request.x_amzn_mtls_clientcert.header_name",
      "routing.http.request.x_amzn_tls_version.header_name",
      "routing.http.request.x_amzn_tls_cipher_suite.header_name",
      "routing.http.response.server.enabled",
      "routing.http.response.strict_transport_security.header_value",
      "routing.http.response.access_control_allow_origin.header_value",
      "routing.http.response.access_control_allow_methods.header_value",
      "routing.http.response.access_control_allow_headers.header_value",
      "routing.http.response.access_control_allow_credentials.header_value",
      "routing.http.response.access_control_expose_headers.header_value",
      "routing.http.response.access_control_max_age.header_value",
      "routing.http.response.content_security_policy.header_value",
      "routing.http.response.x_content_type_options.header_value",
      "routing.http.response.x_frame_options.header_value");

  private static final String EXPECTED_MTLS = "a JSON list such as [{\"port\": 443, \"mode\": \"verify\", \"trustStore\": \"my-store\"}]"
      + " with port, mode (off, passthrough or verify), trustStore (verify only: an ARN or name),"
      + " ignoreClientCertificateExpiry and advertiseTrustStoreCaNames (on or off; verify only)";
  private static final JsonShape MTLS_SHAPE = JsonShape.array(JsonShape.obj("port", JsonShape.LEAF, "mode", JsonShape.LEAF,
      "trustStore", JsonShape.LEAF, "ignoreClientCertificateExpiry", JsonShape.LEAF, "advertiseTrustStoreCaNames", JsonShape.LEAF));

  private ListenerAnnotations() {}

  /** mutual-authentication by port, in port order; entries with problems are left out (and reported). */
  static Map<Integer, MutualAuthentication> mutualAuthentication(AnnotationReader r) {
    Map<Integer, MutualAuthentication> byPort = new TreeMap<>();
    Optional<JsonNode> json = r.json(MUTUAL_AUTHENTICATION, EXPECTED_MTLS);
    if (json.isEmpty()) {
      return byPort;
    }
    if (!json.get().isArray() || json.get().isEmpty()) {
      r.invalid(MUTUAL_AUTHENTICATION, json.get().toString(), EXPECTED_MTLS);
      return byPort;
    }
    List<String> shapeProblems = new ArrayList<>();
    JsonNode entries = JsonShape.canonical(json.get(), MTLS_SHAPE, shapeProblems);
    shapeProblems.forEach(p -> r.error(MUTUAL_AUTHENTICATION, p));
    for (JsonNode e : entries.values()) {
      entry(r, e).ifPresent(m -> {
        if (byPort.putIfAbsent(m.port(), m) != null) {
          r.error(MUTUAL_AUTHENTICATION, "lists port " + m.port() + " more than once");
        }
      });
    }
    return byPort;
  }

  private static Optional<MutualAuthentication> entry(AnnotationReader r, JsonNode e) {
    String text = e.toString();
    if (!e.isObject()) {
      r.invalid(MUTUAL_AUTHENTICATION, text, EXPECTED_MTLS);
      return Optional.empty();
    }
    JsonNode port = e.path("port");
    if (!port.isIntegralNumber() || !port.canConvertToInt() || port.asInt() < 1 || port.asInt() > 65535) {
      r.invalid(MUTUAL_AUTHENTICATION, text, "a port number from 1 to 65535 in \"port\"");
      return Optional.empty();
    }
    String modeText = e.path("mode").isString() ? e.path("mode").asString() : "";
    MutualAuthentication.Mode mode = null;
    for (MutualAuthentication.Mode m : MutualAuthentication.Mode.values()) {
      if (m.wireName().equals(modeText)) {
        mode = m;
      }
    }
    if (mode == null) {
      r.invalid(MUTUAL_AUTHENTICATION, text, "\"mode\": off, passthrough or verify");
      return Optional.empty();
    }
    int p = port.asInt();
    Optional<String> trustStore = e.path("trustStore").isString() && !e.path("trustStore").asString().isBlank()
        ? Optional.of(e.path("trustStore").asString().trim()) : Optional.empty();
    JsonNode ignore = e.path("ignoreClientCertificateExpiry");
    JsonNode advertise = e.path("advertiseTrustStoreCaNames");
    boolean verify = mode == MutualAuthentication.Mode.VERIFY;
    List<String> problems = new ArrayList<>();
    if (e.has("trustStore") && !e.path("trustStore").isString() && !e.path("trustStore").isNull()) {
      problems.add("\"trustStore\" to be a string (a trust store ARN or name)");
    } else if (verify && trustStore.isEmpty()) {
      problems.add("a \"trustStore\" (ARN or name) for mode verify on port " + p);
    } else if (!verify && trustStore.isPresent()) {
      problems.add("no \"trustStore\" for mode " + mode.wireName() + " on port " + p + " (only verify uses one)");
    } else if (trustStore.isPresent() && trustStore.get().startsWith("arn:") && !TRUST_STORE_ARN.matcher(trustStore.get()).matches()) {
      problems.add("\"trustStore\" to be a trust store ARN (arn:aws:elasticloadbalancing:<region>:<account>:truststore/<name>/<id>) or a name");
    } else if (trustStore.isPresent() && !trustStore.get().startsWith("arn:") && !TRUST_STORE_NAME.matcher(trustStore.get()).matches()) {
      problems.add("\"trustStore\" to be a trust store name (1 to 32 letters, digits and '-', not starting or ending with '-') or an ARN");
    }
    if (!ignore.isMissingNode() && !ignore.isNull() && !ignore.isBoolean()) {
      problems.add("\"ignoreClientCertificateExpiry\" to be true or false");
    } else if (!verify && ignore.isBoolean()) {
      problems.add("no \"ignoreClientCertificateExpiry\" for mode " + mode.wireName() + " on port " + p + " (only verify checks expiry)");
    }
    String advertiseText = advertise.isString() ? advertise.asString() : null;
    if (!advertise.isMissingNode() && !advertise.isNull() && !"on".equals(advertiseText) && !"off".equals(advertiseText)) {
      problems.add("\"advertiseTrustStoreCaNames\" to be \"on\" or \"off\"");
    } else if (!verify && advertiseText != null) {
      problems.add("no \"advertiseTrustStoreCaNames\" for mode " + mode.wireName() + " on port " + p + " (only verify advertises CA names)");
    }
    if (!problems.isEmpty()) {
      problems.forEach(problem -> r.invalid(MUTUAL_AUTHENTICATION, text, problem));
      return Optional.empty();
    }
    return Optional.of(new MutualAuthentication(p, mode, trustStore,
        verify ? Optional.of(ignore.isBoolean() && ignore.asBoolean()) : Optional.empty(),
        verify ? Optional.of(advertiseText == null ? "off" : advertiseText) : Optional.empty()));
  }

  /** listener-attributes.&lt;Protocol&gt;-&lt;Port&gt; by listener, each map sorted by key. */
  static Map<ListenPort, Map<String, String>> attributes(AnnotationReader r, Set<String> names) {
    Map<ListenPort, Map<String, String>> byListener = new LinkedHashMap<>();
    Set<Integer> ports = new HashSet<>();
    for (String name : names) {
      boolean bare = name.equals(ATTRIBUTES_PREFIX.substring(0, ATTRIBUTES_PREFIX.length() - 1));
      if (!name.startsWith(ATTRIBUTES_PREFIX) && !bare) {
        continue;
      }
      Matcher m = ATTRIBUTES_SUFFIX.matcher(bare ? "" : name.substring(ATTRIBUTES_PREFIX.length()));
      int port = m.matches() ? Integer.parseInt(m.group(2)) : 0;
      if (!m.matches() || port < 1 || port > 65535) {
        r.error(name, "names its listener as " + ATTRIBUTES_PREFIX + "<Protocol>-<Port>, such as " + ATTRIBUTES_PREFIX
            + "HTTPS-443 (protocol HTTP or HTTPS, port 1 to 65535)");
        continue;
      }
      Protocol protocol = Protocol.valueOf(m.group(1));
      if (!ports.add(port)) {
        r.error(name, "sets attributes of port " + port + " under both protocols; a port has one listener");
      }
      Map<String, String> attrs = r.keyValues(name, e -> attributeProblem(protocol, e));
      if (!attrs.isEmpty()) {
        byListener.put(new ListenPort(protocol, port), java.util.Collections.unmodifiableMap(new TreeMap<>(attrs)));
      }
    }
    return byListener;
  }

  static Optional<String> attributeProblem(Protocol protocol, Map.Entry<String, String> e) {
    String key = e.getKey();
    if (!LISTENER_ATTRIBUTES.contains(key)) {
      return Optional.of("a known ALB listener attribute (" + FieldError.abbreviate(key)
          + " is not one; see the listener attributes in the ALB documentation)");
    }
    if (protocol == Protocol.HTTP && (key.contains("x_amzn_mtls_") || key.contains("x_amzn_tls_"))) {
      return Optional.of("an attribute of an HTTP listener (" + key + " names a TLS header, which only HTTPS listeners have)");
    }
    if (e.getValue().isEmpty()) {
      return Optional.of(key + " with a value");
    }
    return IngressAnnotations.valueProblem(e, Map.of());
  }
}
