package io.albingress.webhook;

import io.albingress.validation.Verdict;
import java.util.List;
import java.util.Optional;

/** An AdmissionResponse: allowed or denied with a message, warnings, and an optional JSON patch. */
public record AdmissionReply(boolean allowed, String message, List<String> warnings, Optional<String> jsonPatch) {

  public static AdmissionReply allow() {
    return new AdmissionReply(true, "", List.of(), Optional.empty());
  }

  public static AdmissionReply deny(String message) {
    return new AdmissionReply(false, message, List.of(), Optional.empty());
  }

  public static AdmissionReply of(Verdict verdict, String subject) {
    return new AdmissionReply(verdict.allowed(), verdict.message(subject), verdict.warnings(), Optional.empty());
  }

  public static AdmissionReply patch(String jsonPatch) {
    return new AdmissionReply(true, "", List.of(), Optional.of(jsonPatch));
  }

  /** The verdict label of metrics. */
  public String outcome() {
    if (!allowed) {
      return "denied";
    }
    if (jsonPatch.isPresent()) {
      return "patched";
    }
    return warnings.isEmpty() ? "allowed" : "warned";
  }
}
