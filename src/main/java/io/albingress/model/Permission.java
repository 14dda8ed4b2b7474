package io.albingress.model;

import java.util.Comparator;

/**
 * One ingress permission of a security group: a protocol and port range from one peer (an IPv4 or
 * IPv6 CIDR, a prefix list, or another security group). Its description is not part of its identity,
 * as in EC2, where two rules differing only in description are duplicates.
 */
public record Permission(String protocol, int fromPort, int toPort, Peer peer, String peerValue) implements Comparable<Permission> {
  public enum Peer { IPV4_CIDR, IPV6_CIDR, PREFIX_LIST, SECURITY_GROUP }

  public static final String TCP = "tcp";

  private static final Comparator<Permission> ORDER = Comparator.comparing(Permission::protocol)
      .thenComparingInt(Permission::fromPort).thenComparingInt(Permission::toPort)
      .thenComparing(Permission::peer).thenComparing(Permission::peerValue);

  public static Permission tcp(int port, Peer peer, String value) {
    return new Permission(TCP, port, port, peer, value);
  }

  /** A CIDR of either family, told apart by its ':'. */
  public static Permission tcpFromCidr(int port, String cidr) {
    return tcp(port, cidr.contains(":") ? Peer.IPV6_CIDR : Peer.IPV4_CIDR, cidr);
  }

  @Override
  public int compareTo(Permission o) {
    return ORDER.compare(this, o);
  }

  @Override
  public String toString() {
    String ports = fromPort == toPort ? String.valueOf(fromPort) : fromPort + "-" + toPort;
    return protocol + ":" + ports + " from " + peerValue;
  }
}
