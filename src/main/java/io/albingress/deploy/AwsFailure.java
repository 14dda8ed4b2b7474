package io.albingress.deploy;

/**
 * A failed AWS call, classified once (io.albingress.aws.AwsErrors) so callers decide on the kind,
 * never on error-code strings. The message is the original one.
 */
public final class AwsFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public enum Kind {
    /** The resource does not exist (a deletion that finds it gone has succeeded). */
    NOT_FOUND,
    /** Rate exceeded; nothing happened. */
    THROTTLING,
    /** The request was refused as invalid (including duplicates and limits); nothing happened. */
    VALIDATION,
    /** The resource is still used by another (a target group by a rule). */
    IN_USE,
    /** No answer (timeout, connection lost, server error): the call may or may not have taken effect. */
    UNKNOWN_OUTCOME
  }

  private final Kind kind;
  private final String code;

  public AwsFailure(Kind kind, String code, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.code = code;
  }

  public Kind kind() {
    return kind;
  }

  /** The AWS error code, or the exception's simple name when AWS gave none. */
  public String code() {
    return code;
  }

  public static boolean is(Throwable e, Kind kind) {
    return e instanceof AwsFailure f && f.kind == kind;
  }
}
