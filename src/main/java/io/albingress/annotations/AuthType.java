package io.albingress.annotations;

/** auth-type: who authenticates users before a rule forwards them. */
public enum AuthType implements Named {
  NONE("none"),
  OIDC("oidc"),
  COGNITO("cognito");

  private final String wireName;

  AuthType(String wireName) {
    this.wireName = wireName;
  }

  @Override
  public String wireName() {
    return wireName;
  }
}
