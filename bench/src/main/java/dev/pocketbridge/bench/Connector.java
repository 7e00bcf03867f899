package dev.pocketbridge.bench;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

import dev.pocketbridge.client.DeviceIdentity;
import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.client.HandshakeException;
import dev.pocketbridge.common.protocol.CloseCodes;

/**
 * Opens authenticated sessions through {@link DeviceSession#connect(HttpClient, URI, DeviceIdentity, byte[], Duration)}
 * with the server key pinned once (not a server-info request per session), retrying what the
 * protocol says to retry (connect failures, 4029, 1013, 1001, {@code unavailable}) a bounded number of times.
 *
 * <p>The sessions take turns over the gateway's addresses ({@link #spread}): every connection from
 * one address to another address and port needs an ephemeral port of its own, and once half of
 * Linux's range (28,232 ports by default) is in use towards one of them, the kernel searches the
 * whole even half before each further {@code connect} (measured here: 10 µs a connection up to
 * 14,000 of them, about 1 ms of kernel CPU each beyond). The load generator would spend that CPU
 * on the machine it measures, from about 14,000 W3 sessions on; real devices come from addresses
 * of their own.
 *
 * <p>The sessions also take turns over {@link #RECEIVING_CLIENTS} HTTP clients. Each client reads
 * and decodes its sessions' frames on its one selector thread (as {@link DeviceSession}'s own
 * client does), so with a single client every ack and delivery of a W1 run went through one
 * thread (3,000 frames a second at 1,000 events/s): once it fell behind for a moment, its reads came back with several buffers,
 * the JIT threw away its compiled read loop (an untaken branch taken), and the thread fell further
 * behind for seconds while the system it measured kept up (docs/performance.md, "The load
 * generator stalled itself").
 */
final class Connector {

    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);

    /** How many of the gateway's loopback addresses the sessions take turns over: 20,000 sessions make 2,500 to each. */
    static final int LOOPBACK_ADDRESSES = 8;

    /** How many HTTP clients, each with one selector thread that decodes what it reads, the sessions take turns over. */
    static final int RECEIVING_CLIENTS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private final List<URI> webSocketUris;
    private final List<HttpClient> clients;
    private final byte[] serverKey;
    private final AtomicInteger turn = new AtomicInteger();
    final Map<String, LongAdder> failures = new ConcurrentHashMap<>();

    Connector(List<URI> webSocketUris, byte[] serverKey) {
        if (webSocketUris.isEmpty()) {
            throw new IllegalArgumentException("no WebSocket URI");
        }
        this.webSocketUris = List.copyOf(webSocketUris);
        this.serverKey = serverKey.clone();
        List<HttpClient> c = new ArrayList<>();
        for (int i = 0; i < RECEIVING_CLIENTS; i++) {
            c.add(HttpClient.newBuilder().executor(Runnable::run).build());
        }
        this.clients = List.copyOf(c);
    }

    /**
     * A connector for the gateway at {@code webSocketUri} that takes turns over its addresses
     * 127.0.0.1 to 127.0.0.{@value #LOOPBACK_ADDRESSES}, those where {@code answers} finds it
     * (a gateway bound to 127.0.0.1 alone is only reached there); {@code webSocketUri} alone when it
     * is not a plain {@code ws} URI on loopback (a certificate names one host).
     */
    static Connector spread(URI webSocketUri, byte[] serverKey, Predicate<URI> answers) {
        String host = webSocketUri.getHost();
        if (!"ws".equalsIgnoreCase(webSocketUri.getScheme()) || !Options.isLoopbackHost(host)) {
            return new Connector(List.of(webSocketUri), serverKey);
        }
        List<URI> uris = new ArrayList<>();
        for (int i = 1; i <= LOOPBACK_ADDRESSES; i++) {
            URI uri = withHost(webSocketUri, "127.0.0." + i);
            if (i == 1 || answers.test(uri)) {
                uris.add(uri);
            }
        }
        return new Connector(uris, serverKey);
    }

    private static URI withHost(URI uri, String host) {
        try {
            return new URI(uri.getScheme(), uri.getUserInfo(), host, uri.getPort(), uri.getPath(), uri.getQuery(),
                    uri.getFragment());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Where a connection goes: a gateway address, through one of the clients. */
    record Route(URI uri, HttpClient client) {
    }

    /**
     * The route of the {@code turn}-th connection: the addresses in turn, and each round of them
     * through the next client, so that every client gets as many sessions of every address.
     */
    Route route(int turn) {
        return new Route(webSocketUris.get(Math.floorMod(turn, webSocketUris.size())),
                clients.get(Math.floorMod(Math.floorDiv(turn, webSocketUris.size()), clients.size())));
    }

    /** The gateway's addresses the sessions take turns over. */
    List<URI> webSocketUris() {
        return webSocketUris;
    }

    /**
     * A session of {@code identity}, or null when {@code attempts} tries failed (each failure is
     * counted in {@link #failures}); {@code handshakeNanos} gets the time of the successful try.
     */
    DeviceSession connect(DeviceIdentity identity, int attempts, LongConsumer handshakeNanos) {
        for (int attempt = 1; attempt <= attempts; attempt++) {
            Route route = route(turn.getAndIncrement());
            long t0 = System.nanoTime();
            try {
                DeviceSession session = DeviceSession.connect(route.client(), route.uri(), identity, serverKey,
                        HANDSHAKE_TIMEOUT);
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
