package io.albingress.annotations;

public enum TargetType implements Named {
  INSTANCE("instance"),
  IP("ip");

  private final String wireName;

  TargetType(String wireName) {
    this.wireName = wireName;
  }

  @Override
  public String wireName() {
    return wireName;
  }
}
