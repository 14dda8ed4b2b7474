package io.albingress.annotations;

/** Lenient reads for ordering and grouping, where invalid values are reported elsewhere. */
public final class AnnotationReaderSupport {
  private AnnotationReaderSupport() {}

  public static int intOr(String value, int fallback) {
    return value == null ? fallback : AnnotationReader.parseInt(value).orElse(fallback);
  }
}
