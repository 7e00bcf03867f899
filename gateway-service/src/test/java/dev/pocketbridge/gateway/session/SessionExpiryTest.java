package dev.pocketbridge.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.protocol.ServerFrame;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;

class SessionExpiryTest {

    private static final long EXPIRES_AT = 1_800_000_000_000L;

    private final VirtualTimeScheduler timers = VirtualTimeScheduler.create();
    private final List<String> happened = new CopyOnWriteArrayList<>();

    private Disposable schedule(Duration maxAge, Duration warning) {
        return SessionExpiry.schedule(maxAge, warning, EXPIRES_AT,
                frame -> happened.add(frame instanceof ServerFrame.SessionExpiring(long at) ? "notice " + at : "other"),
                () -> happened.add("expired"), timers);
    }

    @Test
    void theNoticeComesTheWarningBeforeTheEndAndTheCloseAtTheEnd() {
        schedule(Duration.ofHours(24), Duration.ofMinutes(5));

        timers.advanceTimeBy(Duration.ofHours(24).minusMinutes(5).minusMillis(1));
        assertThat(happened).isEmpty();
        timers.advanceTimeBy(Duration.ofMillis(1));
        assertThat(happened).containsExactly("notice " + EXPIRES_AT);

        timers.advanceTimeBy(Duration.ofMinutes(5).minusMillis(1));
        assertThat(happened).containsExactly("notice " + EXPIRES_AT);
        timers.advanceTimeBy(Duration.ofMillis(1));
        assertThat(happened).containsExactly("notice " + EXPIRES_AT, "expired");
    }

    @Test
    void aSessionShorterThanTheWarningGetsNoNoticeOnlyTheClose() {
        schedule(Duration.ofMinutes(1), Duration.ofMinutes(5));

        timers.advanceTimeBy(Duration.ofMinutes(1));
        assertThat(happened).containsExactly("expired");
    }

    @Test
    void aSessionThatEndsFirstIsNeitherWarnedNorClosed() {
        Disposable expiry = schedule(Duration.ofHours(24), Duration.ofMinutes(5));
        timers.advanceTimeBy(Duration.ofHours(1));
        expiry.dispose();

        timers.advanceTimeBy(Duration.ofHours(24));
        assertThat(happened).isEmpty();
    }

    @Test
    void aSessionThatEndsAfterTheNoticeIsNotClosedByIt() {
        Disposable expiry = schedule(Duration.ofHours(24), Duration.ofMinutes(5));
        timers.advanceTimeBy(Duration.ofHours(24).minusMinutes(1));
        expiry.dispose();

        timers.advanceTimeBy(Duration.ofHours(1));
        assertThat(happened).containsExactly("notice " + EXPIRES_AT);
    }
}
