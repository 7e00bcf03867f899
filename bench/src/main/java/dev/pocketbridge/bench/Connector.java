package dev.pocketbridge.bench;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

import dev.pocketbridge.client.DeviceIdentity;
import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.client.HandshakeException;
import dev.pocketbridge.common.protocol.CloseCodes;

/**
 * Opens authenticated sessions through {@link DeviceSession#connect(URI, DeviceIdentity, byte[], Duration)}
 * with the server key pinned once (not a server-info request per session), retrying what the
 * protocol says to retry (connect failures, 4029, 1013, 1001, {@code unavailable}) a bounded number of times.
 */
final class Connector {

    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);

    private final URI webSocketUri;
    private final byte[] serverKey;
    final Map<String, LongAdder> failures = new ConcurrentHashMap<>();

    Connector(URI webSocketUri, byte[] serverKey) {
        this.webSocketUri = webSocketUri;
        this.serverKey = serverKey.clone();
    }

    /**
     * A session of {@code identity}, or null when {@code attempts} tries failed (each failure is
     * counted in {@link #failures}); {@code handshakeNanos} gets the time of the successful try.
     */
    DeviceSession connect(DeviceIdentity identity, int attempts, LongConsumer handshakeNanos) {
        for (int attempt = 1; attempt <= attempts; attempt++) {
            long t0 = System.nanoTime();
            try {
                DeviceSession session = DeviceSession.connect(webSocketUri, identity, serverKey, HANDSHAKE_TIMEOUT);
                handshakeNanos.accept(System.nanoTime() - t0);
                return session;
            } catch (HandshakeException e) {
                String key = e.code() + (e.closeCode() > 0 ? " (close " + e.closeCode() + ")" : "");
                failures.computeIfAbsent(key, k -> new LongAdder()).increment();
                if (!e.retryable() || attempt == attempts) {
                    return null;
                }
            } catch (RuntimeException e) {
                failures.computeIfAbsent(e.getClass().getSimpleName(), k -> new LongAdder()).increment();
                if (attempt == attempts) {
                    return null;
                }
            }
            Parallel.sleep(500L * attempt);
        }
        return null;
    }

    Map<String, Long> failureCounts() {
        Map<String, Long> m = new java.util.TreeMap<>();
        failures.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    /**
     * {@link #failureCounts()} as a reader needs it: when the gateway refused handshakes for their
     * rate (close 4029), the usual cause is a system named with {@code --server} that keeps the
     * gateway's per-address limits, which every bench device (one address) runs into.
     */
    String failureSummary() {
        Map<String, Long> counts = failureCounts();
        boolean rateLimited = counts.keySet().stream().anyMatch(k -> k.contains("(close " + CloseCodes.TOO_MANY_HANDSHAKES + ")"));
        return counts + (rateLimited ? "; the gateway refused handshakes for their rate: a system named with --server needs"
                + " the rate limits the bench lifts (README, \"Benchmark\"; docs/operations.md, \"Limits at the WebSocket edge\")"
                : "");
    }
}
