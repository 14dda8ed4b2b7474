package io.albingress.annotations;

public record ListenPort(Protocol protocol, int port) {
  @Override
  public String toString() {
    return protocol.wireName() + ":" + port;
  }
}
