package dev.pocketbridge.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.http.HttpHeaders;

import dev.pocketbridge.gateway.limits.ClientAddresses;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class SessionRateLimitsTest {

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final TestClock clock = new TestClock();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final SessionRateLimits limits = new SessionRateLimits(new Binder(new MapConfigurationPropertySource(Map.of(
            "pocketbridge.gateway.session.rate-limits.handshakes-per-address", 3,
            "pocketbridge.gateway.session.rate-limits.handshake-window", "1m",
            "pocketbridge.gateway.session.rate-limits.events-per-device", 2,
            "pocketbridge.gateway.session.rate-limits.event-window", "1s")))
            .bindOrCreate("pocketbridge.gateway.session.rate-limits", RateLimitProperties.class),
            new ClientAddresses(new Binder(new MapConfigurationPropertySource(Map.of()))
                    .bindOrCreate("pocketbridge.gateway.rate-limits", dev.pocketbridge.gateway.limits.RateLimitProperties.class)),
            clock, meters);

    @Test
    void anAddressGetsItsBurstThenWaitsForTheRefill() {
        InetSocketAddress client = new InetSocketAddress("203.0.113.7", 50000);
        assertThat(limits.admitHandshake(client, HttpHeaders.EMPTY)).isTrue();
        assertThat(limits.admitHandshake(new InetSocketAddress("203.0.113.7", 50001), HttpHeaders.EMPTY)).isTrue();
        assertThat(limits.admitHandshake(client, HttpHeaders.EMPTY)).isTrue();
        assertThat(limits.admitHandshake(client, HttpHeaders.EMPTY)).isFalse();
        assertThat(limits.admitHandshake(new InetSocketAddress("203.0.113.8", 50000), HttpHeaders.EMPTY)).isTrue();

        clock.advance(Duration.ofSeconds(20)); // one third of the window: one handshake
        assertThat(limits.admitHandshake(client, HttpHeaders.EMPTY)).isTrue();
        assertThat(limits.admitHandshake(client, HttpHeaders.EMPTY)).isFalse();
        assertThat(meters.get(SessionRateLimits.METRIC).tag("limit", "handshakes").counter().count()).isEqualTo(2);
    }

    @Test
    void anIpv6ClientCountsByItsSlash64() {
        assertThat(limits.admitHandshake(new InetSocketAddress("2001:db8:1:2::1", 1), HttpHeaders.EMPTY)).isTrue();
        assertThat(limits.admitHandshake(new InetSocketAddress("2001:db8:1:2::2", 1), HttpHeaders.EMPTY)).isTrue();
        assertThat(limits.admitHandshake(new InetSocketAddress("2001:db8:1:2:ffff::3", 1), HttpHeaders.EMPTY)).isTrue();
        assertThat(limits.admitHandshake(new InetSocketAddress("2001:db8:1:2:abcd::4", 1), HttpHeaders.EMPTY)).isFalse();
        assertThat(limits.admitHandshake(new InetSocketAddress("2001:db8:1:3::1", 1), HttpHeaders.EMPTY)).isTrue();
    }

    @Test
    void aDeviceOverItsEventRateIsToldWhenToRetry() {
        assertThat(limits.eventRetryAfterMillis("device-a")).isZero();
        assertThat(limits.eventRetryAfterMillis("device-a")).isZero();
        long retryAfter = limits.eventRetryAfterMillis("device-a");
        assertThat(retryAfter).isEqualTo(500); // 2 per second: the next token in half a second
        assertThat(limits.eventRetryAfterMillis("device-b")).isZero();

        clock.advance(Duration.ofMillis(retryAfter));
        assertThat(limits.eventRetryAfterMillis("device-a")).isZero();
        assertThat(limits.eventRetryAfterMillis("device-a")).isPositive();
    }
}
