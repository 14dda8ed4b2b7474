package io.albingress.deploy;

import io.albingress.deploy.ShieldPort;
import io.albingress.deploy.WafRegionalPort;
import io.albingress.deploy.Wafv2Port;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** In-memory WAFv2, WAF Classic and Shield, as AWS behaves: one web ACL per resource, associating replaces. */
final class FakeAddOnPorts {
  /** Every call made, as "Operation resource". */
  final List<String> calls = new ArrayList<>();
  /** resource ARN to WAFv2 web ACL ARN */
  final Map<String, String> wafv2 = new HashMap<>();
  /** WAFv2 web ACL name to ARN */
  final Map<String, String> webAcls = new HashMap<>();
  /** resource ARN to WAF Classic web ACL ID */
  final Map<String, String> wafClassic = new HashMap<>();
  /** resource ARN to protection */
  final Map<String, ShieldPort.Protection> protections = new HashMap<>();
  /** when set, every call fails with it */
  RuntimeException failure;
  private int nextId;

  List<String> mutatingCalls() {
    return calls.stream().filter(c -> !c.startsWith("Get") && !c.startsWith("List") && !c.startsWith("Describe")).toList();
  }

  private <T> Future<T> call(String what, java.util.function.Supplier<T> result) {
    calls.add(what);
    return failure != null ? Future.failedFuture(failure) : Future.succeededFuture(result.get());
  }

  final Wafv2Port wafv2Port = new Wafv2Port() {
    @Override
    public Future<Optional<String>> webAclForResource(String resourceArn) {
      return call("GetWebACLForResource " + resourceArn, () -> Optional.ofNullable(wafv2.get(resourceArn)));
    }

    @Override
    public Future<Void> associateWebAcl(String resourceArn, String webAclArn) {
      return call("AssociateWebACL " + resourceArn, () -> {
        wafv2.put(resourceArn, webAclArn);
        return null;
      });
    }

    @Override
    public Future<Void> disassociateWebAcl(String resourceArn) {
      return call("DisassociateWebACL " + resourceArn, () -> {
        wafv2.remove(resourceArn);
        return null;
      });
    }

    @Override
    public Future<Map<String, String>> regionalWebAcls() {
      return call("ListWebACLs", () -> Map.copyOf(webAcls));
    }
  };

  final WafRegionalPort wafRegionalPort = new WafRegionalPort() {
    @Override
    public Future<Optional<String>> webAclForResource(String resourceArn) {
      return call("GetWebACLForResource(regional) " + resourceArn, () -> Optional.ofNullable(wafClassic.get(resourceArn)));
    }

    @Override
    public Future<Void> associateWebAcl(String resourceArn, String webAclId) {
      return call("AssociateWebACL(regional) " + resourceArn, () -> {
        wafClassic.put(resourceArn, webAclId);
        return null;
      });
    }

    @Override
    public Future<Void> disassociateWebAcl(String resourceArn) {
      return call("DisassociateWebACL(regional) " + resourceArn, () -> {
        wafClassic.remove(resourceArn);
        return null;
      });
    }
  };

  final ShieldPort shieldPort = new ShieldPort() {
    @Override
    public Future<Optional<Protection>> protectionForResource(String resourceArn) {
      return call("DescribeProtection " + resourceArn, () -> Optional.ofNullable(protections.get(resourceArn)));
    }

    @Override
    public Future<String> createProtection(String resourceArn, String name) {
      return call("CreateProtection " + resourceArn, () -> {
        String id = "p-" + (++nextId);
        protections.put(resourceArn, new Protection(id, name));
        return id;
      });
    }

    @Override
    public Future<Void> deleteProtection(String protectionId) {
      return call("DeleteProtection " + protectionId, () -> {
        protections.values().removeIf(p -> p.id().equals(protectionId));
        return null;
      });
    }
  };

  LoadBalancerAddOns addOns() {
    return new LoadBalancerAddOns(new Wafv2Association(wafv2Port), new WafClassicAssociation(wafRegionalPort), new ShieldProtection(shieldPort));
  }
}
