package io.albingress.cli;

import io.albingress.plan.ConversionReport;
import io.albingress.plan.Manifests;
import io.albingress.plan.PlanReport;
import io.albingress.plan.PlanText;
import io.albingress.plan.Planner;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** `plan`: validate manifests offline and show what would be built. Exit 0 valid, 1 invalid, 2 usage. */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = "Validate Ingress and Gateway API manifests offline, as the webhook and status would, and show what the controller would build.")
final class PlanCommand implements Callable<Integer> {
  enum Output { text, json, yaml }

  @Spec
  CommandSpec spec;

  @Option(names = {"-f", "--filename"}, required = true, description = "A manifest file, a directory of them, or - for stdin. Repeatable.")
  List<String> files;

  @Option(names = "--cluster-name", defaultValue = "${env:ALB_CLUSTER_NAME:-my-cluster}", description = "Cluster name for names and tags. Default: ${DEFAULT-VALUE}")
  String clusterName;

  @Option(names = "--region", defaultValue = "${env:AWS_REGION:-us-west-2}", description = "AWS region. Default: ${DEFAULT-VALUE}")
  String region;

  @Option(names = "--ingress-class", defaultValue = "alb", description = "IngressClass name handled. Default: ${DEFAULT-VALUE}")
  String ingressClass;

  /** Read for "-f -"; tests hand in their own. */
  InputStream stdin = System.in;

  @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text, json or yaml. Default: ${DEFAULT-VALUE}")
  Output output;

  @Option(names = "--to-gateway", description = "Convert the Ingresses into Gateway API objects (GatewayClass, Gateway, HTTPRoute,"
      + " LoadBalancerConfiguration, TargetGroupConfiguration), prove the conversion by building both models and comparing them, and list"
      + " what is not converted. Exit 0 when equivalent, 1 otherwise.")
  boolean toGateway;

  @Option(names = "--gateway-class", description = "GatewayClass name of the converted Gateways. Default: the --ingress-class value")
  String gatewayClass;

  @Override
  public Integer call() {
    KubernetesSerialization serialization = new KubernetesSerialization();
    Manifests manifests = new Manifests(serialization);
    for (String f : files) {
      try {
        manifests.read(f, stdin);
      } catch (Manifests.UnreadableManifest e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (toGateway) {
      ConversionReport conversion = new Planner(clusterName, ingressClass, region, manifests)
          .toGateway(gatewayClass == null ? ingressClass : gatewayClass);
      switch (output) {
        case json -> out.println(new ObjectMapper().writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(conversion));
        case yaml -> out.print(new YAMLMapper().writeValueAsString(conversion));
        default -> out.print(PlanText.renderConversion(conversion));
      }
      out.flush();
      return conversion.equivalent() ? 0 : 1;
    }
    PlanReport report = new Planner(clusterName, ingressClass, region, manifests).plan();
    switch (output) {
      case json -> out.println(new ObjectMapper().writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
      case yaml -> out.print(new YAMLMapper().writeValueAsString(report));
      default -> out.print(PlanText.render(report));
    }
    out.flush();
    return report.valid() ? 0 : 1;
  }
}
