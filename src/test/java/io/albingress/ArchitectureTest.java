package io.albingress;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The package rules, checked on the compiled main classes (run by `mvn test` and so by `mvn verify`):
 * the pure packages use no Vert.x, fabric8 client or AWS SDK class, and no package uses one of a
 * layer above its own (data flows Kubernetes objects -> model -> deploy -> AWS, wiring on top).
 */
class ArchitectureTest {
  private static final String ROOT = "io.albingress";
  private static final JavaClasses MAIN = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages(ROOT);

  /**
   * Layer of every package, lowest first. A package may use its own layer's package and lower
   * layers only. Ports sit below their adapters: deploy's Elbv2 and webhook's AwsFactsSource are
   * implemented in aws.
   */
  static final Map<String, Integer> LAYERS = Map.ofEntries(
      Map.entry("annotations", 0), Map.entry("metrics", 0),
      Map.entry("model", 1),
      Map.entry("validation", 2),
      Map.entry("stack", 3), Map.entry("binding", 3),
      Map.entry("deploy", 4), Map.entry("gateway", 4), Map.entry("k8s", 4), Map.entry("ops", 4),
      Map.entry("webhook", 5), // above gateway: the Gateway API webhook judges with its checks
      Map.entry("plan", 5), // above gateway: plan builds Gateway stacks too
      Map.entry("aws", 6),
      Map.entry("controller", 7),
      Map.entry("targets", 8),
      Map.entry("app", 9),
      Map.entry("cli", 10));

  @Test
  void purePackagesUseNoVertxFabric8ClientOrAwsSdk() {
    noClasses().that().resideInAnyPackage(ROOT + ".annotations..", ROOT + ".model..", ROOT + ".validation..", ROOT + ".stack..",
        ROOT + ".binding..", ROOT + ".gateway..")
        .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "io.fabric8.kubernetes.client..", "software.amazon.awssdk..")
        .because("annotations, model, validation, stack, binding and gateway are pure: shared by the webhook, the controller and plan")
        .check(MAIN);
  }

  @Test
  void noPackageUsesALayerAboveItsOwn() {
    LAYERS.forEach((pkg, layer) -> {
      String[] notBelow = LAYERS.entrySet().stream().filter(e -> e.getValue() >= layer && !e.getKey().equals(pkg))
          .map(e -> ROOT + "." + e.getKey() + "..").toArray(String[]::new);
      noClasses().that().resideInAPackage(ROOT + "." + pkg + "..").should().dependOnClassesThat().resideInAnyPackage(notBelow)
          .because(pkg + " is in layer " + layer + " of ArchitectureTest.LAYERS").check(MAIN);
    });
  }

  @Test
  void everyPackageHasALayer() {
    Set<String> packages = new TreeSet<>();
    MAIN.forEach(c -> {
      String rest = c.getPackageName().equals(ROOT) ? "" : c.getPackageName().substring(ROOT.length() + 1);
      packages.add(rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest);
    });
    assertThat(packages).as("top-level packages under %s; add new ones to ArchitectureTest.LAYERS", ROOT)
        .isSubsetOf(LAYERS.keySet()).doesNotContain("");
    assertThat(List.copyOf(packages)).isNotEmpty();
  }
}
