package io.albingress.controller;

/** Something that acts on AWS only while this replica leads. */
public interface Leader {
  /** This replica leads now (or always, without leader election). */
  void lead();

  /** Another replica may lead now: stop acting, and forget what it may change. */
  void stopLeading();
}
