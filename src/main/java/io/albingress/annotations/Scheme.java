package io.albingress.annotations;

public enum Scheme implements Named {
  INTERNET_FACING("internet-facing"),
  INTERNAL("internal");

  private final String wireName;

  Scheme(String wireName) {
    this.wireName = wireName;
  }

  @Override
  public String wireName() {
    return wireName;
  }
}
