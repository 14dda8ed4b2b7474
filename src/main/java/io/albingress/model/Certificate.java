package io.albingress.model;

import java.util.List;
import java.util.Locale;

/** An ACM certificate: its ARN, status and the host names it covers (wildcards included). */
public record Certificate(String arn, String status, List<String> domains) {
  public static final String ISSUED = "ISSUED";

  public boolean issued() {
    return ISSUED.equals(status);
  }

  /** A wildcard covers exactly one label, as TLS does: *.example.com covers a.example.com only. */
  public boolean covers(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    for (String d : domains) {
      String domain = d.toLowerCase(Locale.ROOT);
      if (domain.equals(h)) {
        return true;
      }
      if (domain.startsWith("*.")) {
        int dot = h.indexOf('.');
        if (dot > 0 && h.substring(dot + 1).equals(domain.substring(2))) {
          return true;
        }
      }
    }
    return false;
  }
}
