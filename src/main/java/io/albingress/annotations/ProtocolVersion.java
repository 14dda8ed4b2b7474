package io.albingress.annotations;

public enum ProtocolVersion implements Named {
  HTTP1("HTTP1"),
  HTTP2("HTTP2"),
  GRPC("GRPC");

  private final String wireName;

  ProtocolVersion(String wireName) {
    this.wireName = wireName;
  }

  @Override
  public String wireName() {
    return wireName;
  }
}
