package io.albingress.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A reference to another resource of the stack, resolved to an ARN at deploy time. JSON: {"$ref": "TargetGroup/shop/web:80"}. */
public record Ref(@JsonProperty("$ref") String ref) {
  public static Ref to(String kind, String resourceId) {
    return new Ref(kind + "/" + resourceId);
  }

  public String kind() {
    return ref.substring(0, ref.indexOf('/'));
  }

  public String resourceId() {
    return ref.substring(ref.indexOf('/') + 1);
  }
}
