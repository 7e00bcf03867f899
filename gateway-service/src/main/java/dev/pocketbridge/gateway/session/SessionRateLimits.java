package dev.pocketbridge.gateway.session;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The rate limits of the WebSocket edge ({@link RateLimitProperties}): handshakes per client
 * address, events per device. Replays are limited per session by the connection itself (one in flight).
 */
@Component
class SessionRateLimits {

    static final String METRIC = "pocketbridge.gateway.ws.rate_limited";
    /** An IPv6 client usually holds a whole /64, so that is what counts as one address. */
    private static final int IPV6_PREFIX_BYTES = 8;

    private final KeyedRateLimit handshakes;
    private final KeyedRateLimit events;
    private final Counter handshakesRefused;
    private final Counter eventsRefused;
    private final Counter replaysRefused;

    SessionRateLimits(RateLimitProperties properties, Clock clock, MeterRegistry meters) {
        this.handshakes = new KeyedRateLimit(properties.handshakesPerAddress(), properties.handshakeWindow(),
                properties.maxTrackedAddresses(), clock);
        this.events = new KeyedRateLimit(properties.eventsPerDevice(), properties.eventWindow(),
                properties.maxTrackedDevices(), clock);
        this.handshakesRefused = counter(meters, "handshakes");
        this.eventsRefused = counter(meters, "events");
        this.replaysRefused = counter(meters, "replays");
    }

    /** Counts a new connection from {@code address}; false when the address is over its limit. */
    boolean admitHandshake(InetSocketAddress address) {
        if (handshakes.tryAcquire(addressKey(address)) == 0) {
            return true;
        }
        handshakesRefused.increment();
        return false;
    }

    /** Counts an event of {@code deviceId}: 0 when it may go ahead, else the milliseconds until the device may send again. */
    long eventRetryAfterMillis(String deviceId) {
        long nanos = events.tryAcquire(deviceId);
        if (nanos == 0) {
            return 0;
        }
        eventsRefused.increment();
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + TimeUnit.MILLISECONDS.toNanos(1) - 1));
    }

    void replayRefused() {
        replaysRefused.increment();
    }

    static String addressKey(InetSocketAddress socketAddress) {
        InetAddress address = socketAddress == null ? null : socketAddress.getAddress();
        if (address == null) {
            return socketAddress == null ? "unknown" : socketAddress.getHostString();
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            return HexFormat.of().formatHex(bytes, 0, IPV6_PREFIX_BYTES) + "::/64";
        }
        return address.getHostAddress();
    }

    private static Counter counter(MeterRegistry meters, String limit) {
        return Counter.builder(METRIC).tag("limit", limit)
                .description("Requests refused by a rate limit of the WebSocket edge").register(meters);
    }
}
