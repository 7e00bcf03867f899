package dev.pocketbridge.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class OutcomeRateLimitTest {

    private static final Duration TARGET_DURATION = Duration.ofMillis(300);
    private static final long TARGET = TARGET_DURATION.toNanos();

    private final OutcomeRateLimit limit = new OutcomeRateLimit(100, 20, 5000, TARGET);
    /** The time of the outcomes fed so far, in nanoseconds. */
    private long now;

    /** {@code perSecond} outcomes, each 5 ms after its start (fast), evenly over {@code duration}. */
    private void outcomes(int perSecond, Duration duration, boolean lost) {
        outcomes(perSecond, duration, Duration.ofMillis(5), lost);
    }

    /** {@code perSecond} outcomes, each {@code wait} after its start, evenly over {@code duration}. */
    private void outcomes(int perSecond, Duration duration, Duration wait, boolean lost) {
        long step = 1_000_000_000L / perSecond;
        long end = now + duration.toNanos();
        for (; now < end; now += step) {
            limit.onSample(now - wait.toNanos(), wait.toNanos(), 10, lost);
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

        Duration late = TARGET_DURATION.plusMillis(1);
        outcomes(200, Duration.ofMillis(2500), late, false);
        assertThat(limit.getLimit()).as("two and a half seconds of late outcomes at a tenth of the pace").isBetween(595, 605);
        outcomes(200, Duration.ofMillis(1000), late, false);
        // 100 outcomes per half second: 60 in 300 ms
        assertThat(limit.getLimit()).as("three seconds of them").isEqualTo(60);

        outcomes(4000, Duration.ofMillis(600), false);
        assertThat(limit.getLimit()).as("half a second at twice the pace (its first slice partly slow)").isBetween(1150, 1205);
    }

    @Test
    void quietSpellsLightLoadAndShortBurstsKeepTheProvenPace() {
        outcomes(2000, Duration.ofSeconds(2), false);

        now += Duration.ofSeconds(30).toNanos();
        outcomes(20, Duration.ofSeconds(5), false);
        assertThat(limit.getLimit()).as("after 30 s of quiet and 5 s at a hundredth of the pace").isBetween(595, 605);

        for (int burst = 0; burst < 10; burst++) {
            outcomes(5000, Duration.ofMillis(40), false); // 200 outcomes, fast, then quiet
            now += Duration.ofSeconds(2).toNanos();
        }
        assertThat(limit.getLimit()).as("after ten short bursts, each answered within the target").isBetween(595, 605);
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
