package dev.pocketbridge.bench;

import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.HdrHistogram.Histogram;

import dev.pocketbridge.client.ApiError;
import dev.pocketbridge.client.Device;
import dev.pocketbridge.client.DeviceIdentity;
import dev.pocketbridge.client.PocketBridgeApi;
import dev.pocketbridge.common.codec.Base64Url;

/**
 * Makes sure the bench's users 0..n-1 each have devices 0..k-1, registering what the
 * {@link IdentityStore} lacks through the public API exactly as a device would: the first device
 * of a user with {@link Device#registerNewUser}, the others by pairing ({@code POST /pairing} with
 * the first device's token, then {@link Device#registerWithPairing}). Users are registered in
 * parallel (bounded), a user's devices one after the other.
 */
final class Registrar {

    static final String DEVICE_TYPE = "desktop";
    /** Tries of a call that fails with a 5xx or in transport. */
    private static final int ATTEMPTS = 5;
    /** How long one call is retried while the server answers 429. */
    private static final java.time.Duration RATE_LIMIT_PATIENCE = java.time.Duration.ofMinutes(10);
    /** Registering 20,000 devices at 10 per second takes half an hour; this bounds a stuck server. */
    private static final java.time.Duration REGISTRATION_LIMIT = java.time.Duration.ofHours(3);
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String RATE_LIMITED = "the server answered 429 (rate limited): a system named with --server needs the rate"
            + " limits the bench lifts (README, \"Benchmark\"; docs/operations.md, \"Rate limits and request sizes\");"
            + " the bench goes on at the rate the server allows";
    private static final AtomicBoolean RATE_LIMIT_EXPLAINED = new AtomicBoolean();

    private Registrar() {
    }

    /** Users 0..users-1, user u with devices 0..devicesOf(u)-1. */
    static Results.Registration ensure(PocketBridgeApi api, IdentityStore store, int users,
            java.util.function.IntUnaryOperator devicesOf, int concurrency) {
        validate(api, store);
        int needed = 0;
        List<Integer> todo = new ArrayList<>();
        int reused = 0;
        for (int u = 0; u < users; u++) {
            boolean missing = false;
            int devicesPerUser = devicesOf.applyAsInt(u);
            needed += devicesPerUser;
            for (int d = 0; d < devicesPerUser; d++) {
                if (store.get(u, d) != null) {
                    reused++;
                } else {
                    missing = true;
                }
            }
            if (missing) {
                todo.add(u);
            }
        }
        int toRegister = needed - reused;
        if (toRegister == 0) {
            Console.say("registration: all " + needed + " devices are in " + store.file());
            return new Results.Registration(needed, reused, 0, 0, 0, LatencySummary.EMPTY, store.file().toString());
        }
        Console.say("registration: " + reused + " of " + needed + " devices known, registering " + toRegister
                + " (" + concurrency + " users at a time; kept in " + store.file() + ")");
        AtomicInteger done = new AtomicInteger();
        Histogram perDevice = LatencySummary.newHistogram();
        long t0 = System.nanoTime();
        Thread ticker = Thread.ofPlatform().daemon().name("register-progress").start(() -> {
            try {
                while (true) {
                    Thread.sleep(1000);
                    double s = (System.nanoTime() - t0) / 1e9;
                    int n = done.get();
                    Console.progress("register", String.format(Locale.ROOT, "%d/%d devices  %.1f/s%s", n, toRegister,
                            n / s, n == 0 ? "" : String.format(Locale.ROOT, "  ~%.0f s left", (toRegister - n) / (n / s))));
                }
            } catch (InterruptedException e) {
                // done
            }
        });
        try {
            Parallel.forEach("register", todo.size(), concurrency, t0 + REGISTRATION_LIMIT.toNanos(), i -> {
                int u = todo.get(i);
                registerUser(api, store, u, devicesOf.applyAsInt(u), nanos -> {
                    synchronized (perDevice) {
                        LatencySummary.record(perDevice, nanos);
                    }
                    done.incrementAndGet();
                });
            });
        } finally {
            ticker.interrupt();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        for (int u = 0; u < users; u++) {
            for (int d = 0; d < devicesOf.applyAsInt(u); d++) {
                if (store.get(u, d) == null) {
                    throw new IllegalStateException("registration incomplete after " + Math.round(seconds)
                            + " s: device " + d + " of bench user " + u + " is missing");
                }
            }
        }
        Console.say(String.format(Locale.ROOT, "registration: %d devices in %.1f s (%.1f devices/s)", done.get(),
                seconds, done.get() / seconds));
        return new Results.Registration(needed, reused, done.get(), LoadEngine.round1(seconds),
                LoadEngine.round1(done.get() / seconds), LatencySummary.of(perDevice), store.file().toString());
    }

    /** A store whose devices the server does not know (its database was reset) is set aside. */
    private static void validate(PocketBridgeApi api, IdentityStore store) {
        DeviceIdentity sample = store.any();
        if (sample == null) {
            return;
        }
        try {
            Device.tokens(api, sample);
        } catch (ApiError e) {
            if (e.status() >= 400 && e.status() < 500) {
                Console.warn("the server does not know the stored bench devices (" + e.status() + " " + e.code()
                        + "): setting " + store.file() + " aside and registering new ones");
                store.discard();
            } else {
                throw e;
            }
        }
    }

    private static void registerUser(PocketBridgeApi api, IdentityStore store, int user, int devicesPerUser,
            java.util.function.LongConsumer registered) {
        DeviceIdentity first = store.get(user, 0);
        if (first == null) {
            long t = System.nanoTime();
            first = retry(() -> Device.registerNewUser(api, name(0, false), DEVICE_TYPE));
            store.put(user, 0, first);
            registered.accept(System.nanoTime() - t);
        }
        String token = null;
        for (int d = 1; d < devicesPerUser; d++) {
            if (store.get(user, d) != null) {
                continue;
            }
            long t = System.nanoTime();
            if (token == null) {
                DeviceIdentity owner = first;
                token = retry(() -> Device.tokens(api, owner)).accessToken();
            }
            String accessToken = token;
            int device = d;
            DeviceIdentity joined = retry(() -> {
                byte[] payload = new byte[32];
                RANDOM.nextBytes(payload);
                PocketBridgeApi.Pairing pairing = api.createPairing(accessToken, Base64Url.encode(payload));
                try {
                    return Device.registerWithPairing(api, pairing.code(), name(device, false), DEVICE_TYPE);
                } catch (ApiError e) {
                    if ("device_name_taken".equals(e.code())) {
                        // the store lost this device's line: register another under a new name
                        PocketBridgeApi.Pairing again = api.createPairing(accessToken, Base64Url.encode(payload));
                        return Device.registerWithPairing(api, again.code(), name(device, true), DEVICE_TYPE);
                    }
                    if ("device_limit_reached".equals(e.code())) {
                        throw new IllegalStateException("bench user " + user + " already has "
                                + Options.MAX_DEVICES_PER_USER + " devices the store does not list: delete "
                                + store.file() + " to start over", e);
                    }
                    throw e;
                }
            });
            if (!first.userId().equals(joined.userId())) {
                throw new IllegalStateException("device " + d + " of bench user " + user + " joined another user");
            }
            store.put(user, d, joined);
            registered.accept(System.nanoTime() - t);
        }
    }

    private static String name(int device, boolean unique) {
        return "bench-d" + device + (unique ? "-" + Long.toHexString(RANDOM.nextLong() & 0xffffffL) : "");
    }

    /**
     * Retries what may pass later: a 429 for as long as the server keeps asking to wait (its
     * Retry-After, else a second more each time, up to {@link #RATE_LIMIT_PATIENCE} for one call),
     * so that the bench goes on at the rate a server with its default limits allows, as the warning
     * says (a pairing-code lookup is allowed ten times a minute per address: five tries a second
     * apart gave up); 5xx and transport failures a bounded number of times. The first 429 of the
     * run says why it usually happens, once: registering at the server's per-address rate takes
     * hours, and a bench that only said how long is left would look stuck.
     */
    static <T> T retry(Supplier<T> call) {
        long patienceEnds = System.nanoTime() + RATE_LIMIT_PATIENCE.toNanos();
        int failures = 0;
        for (int attempt = 1;; attempt++) {
            try {
                return call.get();
            } catch (ApiError e) {
                if (e.status() == 429) {
                    if (RATE_LIMIT_EXPLAINED.compareAndSet(false, true)) {
                        Console.warn(RATE_LIMITED);
                    }
                    if (System.nanoTime() >= patienceEnds) {
                        throw e;
                    }
                    Parallel.sleep(TimeUnit.SECONDS.toMillis(e.retryAfterSeconds().orElse(Math.min(attempt, 60))));
                    continue;
                }
                if (e.status() < 500 || ++failures >= ATTEMPTS) {
                    throw e;
                }
                Parallel.sleep(TimeUnit.SECONDS.toMillis(e.retryAfterSeconds().orElse(failures)));
            } catch (UncheckedIOException e) {
                if (++failures >= ATTEMPTS) {
                    throw e;
                }
                Parallel.sleep(TimeUnit.SECONDS.toMillis(failures));
            }
        }
    }
}
