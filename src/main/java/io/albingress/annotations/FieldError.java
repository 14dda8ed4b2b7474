package io.albingress.annotations;

/** A problem with one annotation or field, phrased for a person reading kubectl output. */
public record FieldError(String field, String message) {
  private static final java.util.regex.Pattern CONTROL = java.util.regex.Pattern.compile("\\p{Cntrl}");

  public static FieldError invalid(String field, String value, String expected) {
    return new FieldError(field, "\"" + abbreviate(value) + "\" is not valid: expected " + expected);
  }

  public String render() {
    return field + ": " + message;
  }

  @Override
  public String toString() {
    return render();
  }

  /** Keeps hostile, huge or multi-line values from flooding a denial message or a log line. */
  public static String abbreviate(String value) {
    if (value == null) {
      return "";
    }
    String shown = value.length() <= 120 ? value : value.substring(0, 117) + "...";
    return CONTROL.matcher(shown).replaceAll("?");
  }
}
