package io.albingress.annotations;

public enum Protocol implements Named {
  HTTP("HTTP"),
  HTTPS("HTTPS");

  private final String wireName;

  Protocol(String wireName) {
    this.wireName = wireName;
  }

  @Override
  public String wireName() {
    return wireName;
  }
}
