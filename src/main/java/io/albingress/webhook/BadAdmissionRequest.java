package io.albingress.webhook;

/** A request that is not a usable AdmissionReview: answered with HTTP 400 and this message. */
public final class BadAdmissionRequest extends RuntimeException {
  public BadAdmissionRequest(String message) {
    super(message, null, false, false);
  }
}
