package io.albingress.testing;

import io.vertx.core.buffer.Buffer;
import java.util.Map;

/** An answer to an AWS call as the proxy sends it back: status, headers and body. */
public record AwsAnswer(int status, Map<String, String> headers, Buffer body) {
  /** An ELBv2 error in its query-protocol form (HTTP 400, {@code <ErrorResponse>}). */
  public static AwsAnswer elbv2Error(String code, String message) {
    String xml = "<ErrorResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\"><Error><Type>Sender</Type>"
        + "<Code>" + code + "</Code><Message>" + escape(message) + "</Message></Error><RequestId>strict-elbv2</RequestId></ErrorResponse>";
    return new AwsAnswer(400, Map.of("content-type", "text/xml"), Buffer.buffer(xml));
  }

  public boolean ok() {
    return status == 200;
  }

  public String text() {
    return body.toString();
  }

  public AwsAnswer withBody(String text) {
    return new AwsAnswer(status, headers, Buffer.buffer(text));
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
