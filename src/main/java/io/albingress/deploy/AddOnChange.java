package io.albingress.deploy;

/** A change an add-on synthesizer made to a load balancer (WAFv2, WAF Classic, Shield). */
public interface AddOnChange {}
