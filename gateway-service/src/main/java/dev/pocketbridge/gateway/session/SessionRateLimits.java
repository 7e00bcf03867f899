package dev.pocketbridge.gateway.session;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

import dev.pocketbridge.common.limits.KeyedBuckets;
import dev.pocketbridge.gateway.limits.ClientAddresses;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The rate limits of the WebSocket edge ({@link RateLimitProperties}): handshakes per client
 * address, events per device. Replays are limited per session by the connection itself (one in flight).
 */
@Component
class SessionRateLimits {

    static final String METRIC = "pocketbridge.gateway.ws.rate_limited";
    private final ClientAddresses addresses;
    private final KeyedBuckets handshakes;
    private final KeyedBuckets events;
    private final Counter handshakesRefused;
    private final Counter eventsRefused;
    private final Counter replaysRefused;

    SessionRateLimits(RateLimitProperties properties, ClientAddresses addresses, Clock clock, MeterRegistry meters) {
        this.addresses = addresses;
        this.handshakes = new KeyedBuckets(properties.handshakesPerAddress(), properties.handshakeWindow(),
                properties.maxTrackedAddresses(), clock);
        this.events = new KeyedBuckets(properties.eventsPerDevice(), properties.eventWindow(),
                properties.maxTrackedDevices(), clock);
        this.handshakesRefused = counter(meters, "handshakes");
        this.eventsRefused = counter(meters, "events");
        this.replaysRefused = counter(meters, "replays");
    }

    /**
     * Counts a new connection from the client behind {@code remote} (the address the REST limits use
     * too: {@link ClientAddresses}); false when it is over its limit.
     */
    boolean admitHandshake(InetSocketAddress remote, HttpHeaders headers) {
        InetAddress client = addresses.of(remote, headers);
        if (handshakes.tryTake(client == null ? "unknown" : addresses.key(client)) == null) {
            return true;
        }
        handshakesRefused.increment();
        return false;
    }

    /** Counts an event of {@code deviceId}: 0 when it may go ahead, else the milliseconds until the device may send again. */
    long eventRetryAfterMillis(String deviceId) {
        Duration wait = events.tryTake(deviceId);
        if (wait == null) {
            return 0;
        }
        eventsRefused.increment();
        long nanos = Math.max(1, wait.toNanos());
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + TimeUnit.MILLISECONDS.toNanos(1) - 1));
    }

    void replayRefused() {
        replaysRefused.increment();
    }

    private static Counter counter(MeterRegistry meters, String limit) {
        return Counter.builder(METRIC).tag("limit", limit)
                .description("Requests refused by a rate limit of the WebSocket edge").register(meters);
    }
}
