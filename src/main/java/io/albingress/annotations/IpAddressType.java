package io.albingress.annotations;

public enum IpAddressType implements Named {
  IPV4("ipv4"),
  DUALSTACK("dualstack"),
  DUALSTACK_WITHOUT_PUBLIC_IPV4("dualstack-without-public-ipv4");

  private final String wireName;

  IpAddressType(String wireName) {
    this.wireName = wireName;
  }

  @Override
  public String wireName() {
    return wireName;
  }
}
