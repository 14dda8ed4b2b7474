package io.albingress.validation;

import java.util.List;

/** The outcome of validating one object: denials (any means refused) and warnings. */
public record Verdict(List<String> denials, List<String> warnings) {

  public Verdict {
    denials = List.copyOf(denials);
    warnings = List.copyOf(warnings);
  }

  public static Verdict allow() {
    return new Verdict(List.of(), List.of());
  }

  public boolean allowed() {
    return denials.isEmpty();
  }

  /** The denial as kubectl shows it: one line per problem. */
  public String message(String subject) {
    if (denials.isEmpty()) {
      return "";
    }
    String header = denials.size() == 1 ? subject + " has 1 problem:" : subject + " has " + denials.size() + " problems:";
    return header + "\n  - " + String.join("\n  - ", denials);
  }
}
