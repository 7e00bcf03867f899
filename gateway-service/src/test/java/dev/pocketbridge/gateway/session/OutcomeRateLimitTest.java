package dev.pocketbridge.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class OutcomeRateLimitTest {

    private static final long TARGET = Duration.ofMillis(300).toNanos();

    private final OutcomeRateLimit limit = new OutcomeRateLimit(100, 20, 5000, TARGET);
    /** The time of the outcomes fed so far, in nanoseconds. */
    private long now;

    /** {@code perSecond} outcomes, each 5 ms after its start, evenly over {@code duration}. */
    private void outcomes(int perSecond, Duration duration, boolean lost) {
        long step = 1_000_000_000L / perSecond;
        long end = now + duration.toNanos();
        for (; now < end; now += step) {
            limit.onSample(now - 5_000_000, 5_000_000, 10, lost);
        }
    }

    @Test
    void staysAtTheInitialLimitUntilHalfASecondIsMeasured() {
        outcomes(2000, Duration.ofMillis(400), false);

        assertThat(limit.getLimit()).isEqualTo(100);
    }

    @Test
    void isTheRecentRateOfOutcomesTimesTheTarget() {
        outcomes(2000, Duration.ofSeconds(2), false);

        // 1,000 outcomes per half second: 600 in 300 ms
        assertThat(limit.getLimit()).isBetween(595, 605);
    }

    @Test
    void aPauseKeepsTheLimitAndASlowerSystemBringsItDownWithinThreeSeconds() {
        outcomes(2000, Duration.ofSeconds(2), false);
        now += Duration.ofSeconds(1).toNanos();
        outcomes(200, Duration.ofMillis(10), false);
        assertThat(limit.getLimit()).as("after a pause of a second").isBetween(595, 605);

        outcomes(200, Duration.ofMillis(3500), false);
        // 100 outcomes per half second: 60 in 300 ms
        assertThat(limit.getLimit()).as("three seconds at a tenth of the pace").isEqualTo(60);

        outcomes(4000, Duration.ofMillis(600), false);
        assertThat(limit.getLimit()).as("half a second at twice the pace (its first slice partly slow)").isBetween(1150, 1205);
    }

    @Test
    void lostOutcomesCountForNothingAndTheLimitStaysWithinItsBounds() {
        outcomes(2000, Duration.ofSeconds(4), true);
        assertThat(limit.getLimit()).isEqualTo(20);

        outcomes(100_000, Duration.ofSeconds(1), false);
        assertThat(limit.getLimit()).isEqualTo(5000);

        assertThatIllegalArgumentException().isThrownBy(() -> new OutcomeRateLimit(10, 0, 10, TARGET));
        assertThatIllegalArgumentException().isThrownBy(() -> new OutcomeRateLimit(10, 20, 10, TARGET));
        assertThat(new OutcomeRateLimit(1, 20, 50, TARGET).getLimit()).as("the initial limit within the bounds").isEqualTo(20);
    }
}
