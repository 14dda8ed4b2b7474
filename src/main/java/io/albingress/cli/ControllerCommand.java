package io.albingress.cli;

import io.albingress.aws.ApiThrottleConfig;
import io.albingress.annotations.Formats;
import io.albingress.app.ControllerApp;
import io.albingress.app.ControllerSettings;
import io.albingress.model.Tags;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** `controller`: the admission webhook server and the reconciler in one process. */
@Command(name = "controller", mixinStandardHelpOptions = true,
    description = "Run the admission webhooks and the controller. Every flag also reads the environment variable shown.")
final class ControllerCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--cluster-name", defaultValue = "${env:ALB_CLUSTER_NAME}",
      description = "Kubernetes cluster name, used in AWS tags and names (required). Env: ALB_CLUSTER_NAME")
  String clusterName;

  @Option(names = "--kubeconfig", defaultValue = "${env:KUBECONFIG}",
      description = "kubeconfig file; in-cluster configuration when unset. Env: KUBECONFIG")
  String kubeconfig;

  @Option(names = "--ingress-class", defaultValue = "${env:ALB_INGRESS_CLASS:-alb}",
      description = "IngressClass name (and legacy annotation value) handled. Default: ${DEFAULT-VALUE}. Env: ALB_INGRESS_CLASS")
  String ingressClass;

  @Option(names = "--aws-region", defaultValue = "${env:ALB_AWS_REGION:-${env:AWS_REGION}}",
      description = "AWS region; the SDK's default chain when unset. Env: ALB_AWS_REGION, AWS_REGION")
  String awsRegion;

  @Option(names = "--aws-vpc-id", defaultValue = "${env:ALB_AWS_VPC_ID}",
      description = "The cluster's VPC: subnets and target groups live there. Env: ALB_AWS_VPC_ID")
  String awsVpcId;

  @Option(names = "--bind-address", defaultValue = "${env:ALB_BIND_ADDRESS:-0.0.0.0}",
      description = "Address the webhook, metrics and health servers listen on. Default: ${DEFAULT-VALUE}. Env: ALB_BIND_ADDRESS")
  String bindAddress;

  @Option(names = "--webhook-port", defaultValue = "${env:ALB_WEBHOOK_PORT:-9443}",
      description = "HTTPS port of the admission webhooks. Default: ${DEFAULT-VALUE}. Env: ALB_WEBHOOK_PORT")
  int webhookPort;

  @Option(names = "--webhook-cert-dir", defaultValue = "${env:ALB_WEBHOOK_CERT_DIR:-/tmp/k8s-webhook-server/serving-certs}",
      description = "Directory with tls.crt and tls.key, reloaded when they change. Default: ${DEFAULT-VALUE}. Env: ALB_WEBHOOK_CERT_DIR")
  String webhookCertDir;

  @Option(names = "--metrics-port", defaultValue = "${env:ALB_METRICS_PORT:-8080}",
      description = "Port of GET /metrics. Default: ${DEFAULT-VALUE}. Env: ALB_METRICS_PORT")
  int metricsPort;

  @Option(names = "--health-port", defaultValue = "${env:ALB_HEALTH_PORT:-8081}",
      description = "Port of GET /healthz and /readyz. Default: ${DEFAULT-VALUE}. Env: ALB_HEALTH_PORT")
  int healthPort;

  @Option(names = "--watch-namespace", defaultValue = "${env:ALB_WATCH_NAMESPACE}",
      description = "Only watch this namespace; all namespaces when unset. Env: ALB_WATCH_NAMESPACE")
  String watchNamespace;

  @Option(names = "--leader-elect", defaultValue = "${env:ALB_LEADER_ELECT:-false}", arity = "0..1", fallbackValue = "true",
      description = "Elect a leader through a Lease so several replicas can run. Env: ALB_LEADER_ELECT")
  boolean leaderElect;

  @Option(names = "--max-concurrent-reconciles", defaultValue = "${env:ALB_MAX_CONCURRENT_RECONCILES:-3}",
      description = "Stacks reconciled at once. Default: ${DEFAULT-VALUE}. Env: ALB_MAX_CONCURRENT_RECONCILES")
  int maxConcurrentReconciles;

  @Option(names = "--sync-period", defaultValue = "${env:ALB_SYNC_PERIOD:-1h}",
      description = "Period of full resyncs, e.g. 30m or 1h. Default: ${DEFAULT-VALUE}. Env: ALB_SYNC_PERIOD")
  String syncPeriod;

  @Option(names = "--default-tags", defaultValue = "${env:ALB_DEFAULT_TAGS}",
      description = "Tags for every AWS resource, k1=v1,k2=v2. Env: ALB_DEFAULT_TAGS")
  String defaultTags;

  @Option(names = "--external-managed-tags", defaultValue = "${env:ALB_EXTERNAL_MANAGED_TAGS}",
      description = "Tag keys other tools manage on the AWS resources: never set or removed by the controller, k1,k2. "
          + "Env: ALB_EXTERNAL_MANAGED_TAGS")
  String externalManagedTags;

  @Option(names = "--dry-run", defaultValue = "${env:ALB_DRY_RUN:-false}", arity = "0..1", fallbackValue = "true",
      description = "Compute and report plans, but make no mutating AWS call. Env: ALB_DRY_RUN")
  boolean dryRun;

  @Option(names = "--backend-security-group", defaultValue = "${env:ALB_BACKEND_SECURITY_GROUP}",
      description = "Security group ID shared by this controller's load balancers and admitted on the targets, instead of the"
          + " cluster's k8s-traffic-<cluster> group; lets two controller deployments in one cluster keep their rules apart."
          + " Env: ALB_BACKEND_SECURITY_GROUP")
  String backendSecurityGroup;

  @Option(names = "--log-format", defaultValue = "${env:ALB_LOG_FORMAT:-text}",
      description = "Log format: text, or json (one object a line: level, time, logger, msg, stack, run). Default: ${DEFAULT-VALUE}."
          + " Env: ALB_LOG_FORMAT")
  String logFormat;

  @Option(names = "--aws-api-throttle", defaultValue = "${env:ALB_AWS_API_THROTTLE}",
      description = "Client-side rate limits of AWS APIs, serviceID:operationRegex=rate:burst,... (as the reference);"
          + " overriding a service replaces its defaults. Unset: the reference's defaults (ELBv2 Describe* 50/s burst 200, Modify* 3/s burst 20, Register/DeregisterTargets 4/s burst 20, WAF associations"
          + " 0.5/s). Env: ALB_AWS_API_THROTTLE")
  String awsApiThrottle;

  @Override
  public Integer call() throws Exception {
    if (!logFormat.equals("text") && !logFormat.equals("json")) {
      throw usage("--log-format must be text or json, not " + logFormat);
    }
    if (logFormat.equals("json")) {
      JsonLogs.install();
    }
    ControllerSettings settings = settings();
    return ControllerApp.run(settings);
  }

  ControllerSettings settings() {
    if (blank(clusterName)) {
      throw usage("--cluster-name (or ALB_CLUSTER_NAME) is required");
    }
    Optional<File> kube = Optional.ofNullable(blank(kubeconfig) ? null : new File(kubeconfig.split(File.pathSeparator)[0]));
    if (kube.isPresent() && !kube.get().canRead()) {
      throw usage("cannot read kubeconfig " + kube.get());
    }
    if (kube.isEmpty() && System.getenv("KUBERNETES_SERVICE_HOST") == null) {
      throw usage("no --kubeconfig (or KUBECONFIG) given, and not running in a cluster");
    }
    Path certDir = Path.of(webhookCertDir);
    for (String file : new String[] {"tls.crt", "tls.key"}) {
      if (!Files.isReadable(certDir.resolve(file))) {
        throw usage("cannot read " + certDir.resolve(file) + " (--webhook-cert-dir must hold tls.crt and tls.key)");
      }
    }
    for (int port : new int[] {webhookPort, metricsPort, healthPort}) {
      if (port < 0 || port > 65535) {
        throw usage("port " + port + " is out of range");
      }
    }
    if (maxConcurrentReconciles < 1) {
      throw usage("--max-concurrent-reconciles must be at least 1");
    }
    Duration sync;
    try {
      sync = Durations.parse(syncPeriod);
    } catch (IllegalArgumentException e) {
      throw usage("--sync-period: " + e.getMessage());
    }
    if (!blank(backendSecurityGroup) && !Formats.SECURITY_GROUP_ID.matcher(backendSecurityGroup.trim()).matches()) {
      throw usage("--backend-security-group must be a security group ID (sg- and 8 or 17 hex digits), not " + backendSecurityGroup);
    }
    Map<String, String> tags = tags();
    ApiThrottleConfig throttle;
    try {
      throttle = ApiThrottleConfig.parse(awsApiThrottle);
    } catch (IllegalArgumentException e) {
      throw usage("--aws-api-throttle: " + e.getMessage());
    }
    return new ControllerSettings(clusterName.trim(), kube, ingressClass, Optional.ofNullable(blank(awsRegion) ? null : awsRegion),
        blank(awsVpcId) ? "" : awsVpcId.trim(), bindAddress, webhookPort, certDir, metricsPort, healthPort,
        Optional.ofNullable(blank(watchNamespace) ? null : watchNamespace), leaderElect, maxConcurrentReconciles, sync,
        tags, dryRun, externalManagedTags(tags), Optional.ofNullable(blank(backendSecurityGroup) ? null : backendSecurityGroup.trim()), throttle);
  }

  /** As the reference: keys the controller owns, or that --default-tags sets, cannot be managed elsewhere. */
  private Set<String> externalManagedTags(Map<String, String> defaults) {
    Set<String> keys = new LinkedHashSet<>();
    if (blank(externalManagedTags)) {
      return keys;
    }
    for (String raw : externalManagedTags.split(",")) {
      String key = raw.trim();
      Formats.tagProblem(key, "").ifPresent(p -> {
        throw usage("--external-managed-tags: \"" + key + "\" is not valid: expected " + p);
      });
      if (Tags.OWN.contains(key)) {
        throw usage("--external-managed-tags: tag key " + key + " is the controller's own and cannot be managed externally");
      }
      if (defaults.containsKey(key)) {
        throw usage("--external-managed-tags: tag key " + key + " cannot be in both --default-tags and --external-managed-tags");
      }
      keys.add(key);
    }
    return keys;
  }

  private Map<String, String> tags() {
    Map<String, String> tags = new LinkedHashMap<>();
    if (blank(defaultTags)) {
      return tags;
    }
    for (String pair : defaultTags.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw usage("--default-tags: \"" + pair.trim() + "\" is not key=value");
      }
      String key = pair.substring(0, eq).trim();
      String value = pair.substring(eq + 1).trim();
      Formats.tagProblem(key, value).ifPresent(p -> {
        throw usage("--default-tags: \"" + pair.trim() + "\" is not valid: expected " + p);
      });
      if (Tags.OWN.contains(key)) {
        throw usage("--default-tags: tag key " + key + " is the controller's own");
      }
      tags.put(key, value);
    }
    return tags;
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
