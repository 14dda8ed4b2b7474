package io.albingress.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aBurstGoesAtOnceThenCallsAreSpacedAtTheRate() {
    TokenBucket bucket = new TokenBucket(4, 2, 0);
    assertThat(bucket.reserve(0)).isZero();
    assertThat(bucket.reserve(0)).isZero();
    assertThat(bucket.reserve(0)).isEqualTo(SECOND / 4);
    assertThat(bucket.reserve(0)).isEqualTo(SECOND / 2);
    // after the debt is paid and one more quarter second, one token is there again
    assertThat(bucket.reserve(SECOND * 3 / 4)).isZero();
  }

  @Test
  void idleTimeRefillsNoMoreThanTheBurst() {
    TokenBucket bucket = new TokenBucket(1, 3, 0);
    for (int i = 0; i < 3; i++) {
      bucket.reserve(0);
    }
    long later = 100 * SECOND;
    for (int i = 0; i < 3; i++) {
      assertThat(bucket.reserve(later)).isZero();
    }
    assertThat(bucket.reserve(later)).isEqualTo(SECOND);
  }
}
