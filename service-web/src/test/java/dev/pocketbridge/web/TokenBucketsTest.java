package dev.pocketbridge.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class TokenBucketsTest {

    /** A clock moved by hand. */
    static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void aBurstOfCapacityThenOneRequestPerPeriodOverCapacityWithTheWaitAsRetryAfter() {
        ManualClock clock = new ManualClock();
        TokenBuckets buckets = new TokenBuckets(3, Duration.ofSeconds(30), 10, clock);
        for (int i = 0; i < 3; i++) {
            buckets.take("alice");
        }
        ApiException refused = catchThrowableOfType(ApiException.class, () -> buckets.take("alice"));
        assertThat(refused.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(refused.code()).isEqualTo("rate_limited");
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(10));

        buckets.take("bob"); // another key has a bucket of its own

        clock.advance(Duration.ofSeconds(9));
        assertThatThrownBy(() -> buckets.take("alice")).isInstanceOf(ApiException.class);
        clock.advance(Duration.ofSeconds(1));
        buckets.take("alice");
    }

    @Test
    void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
        assertThat(ProblemHandler.retryAfterSeconds(Duration.ofMillis(1))).isEqualTo(1);
        assertThat(ProblemHandler.retryAfterSeconds(Duration.ofMillis(9_001))).isEqualTo(10);
        assertThat(ProblemHandler.retryAfterSeconds(Duration.ofSeconds(10))).isEqualTo(10);
        assertThat(ProblemHandler.retryAfterSeconds(Duration.ZERO)).isEqualTo(1);
    }
}
