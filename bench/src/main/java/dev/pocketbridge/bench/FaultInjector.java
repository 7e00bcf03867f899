package dev.pocketbridge.bench;

import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.protocol.ServerFrame;

/**
 * {@code --inject FAULT}: to show that the checks catch what they claim to, the bench can tamper
 * with what one device (user 0, device 1) receives in the open-loop workloads, as a faulty server
 * would: {@code drop} loses every tenth live delivery (the gap replay must recover them: the checks
 * pass and "by replay" counts them), {@code lose} also hides them from the replay (missing_delivery),
 * {@code reorder} swaps two deliveries (order), {@code cross-user} hands the device an event
 * carrying another user's payload (cross_user).
 */
final class FaultInjector {

    enum Fault {
        NONE, DROP, LOSE, REORDER, CROSS_USER;

        static Fault parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new Options.UsageException("--inject: unknown fault '" + text + "' (drop, lose, reorder, cross-user)");
            }
        }

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    static final FaultInjector NONE = new FaultInjector(Fault.NONE, 0);

    private final Fault fault;
    private final long runId;
    /** Touched only by the victim's receiver (or the caller draining it after the receivers stopped). */
    private long deliveries;
    private ServerFrame.DeliveredEvent held;
    private final Set<String> lost = ConcurrentHashMap.newKeySet();
    final AtomicLong injected = new AtomicLong();

    FaultInjector(Fault fault, long runId) {
        this.fault = fault;
        this.runId = runId;
    }

    boolean active() {
        return fault != Fault.NONE;
    }

    Fault fault() {
        return fault;
    }

    private static boolean victim(DeviceTrack track) {
        return track.user == 0 && track.device == 1;
    }

    /** Hands a received frame to its track, or tampers with it first. */
    void receive(DeviceTrack track, ServerFrame frame, long now) {
        if (fault == Fault.NONE || !victim(track) || !(frame instanceof ServerFrame.DeliveredEvent event)) {
            track.onFrame(frame, now);
            return;
        }
        long n = ++deliveries;
        switch (fault) {
            case DROP, LOSE -> {
                if (n % 10 == 3) {
                    lost.add(event.eventId());
                    injected.incrementAndGet();
                    return;
                }
                track.onFrame(frame, now);
            }
            case REORDER -> {
                if (n == 3) {
                    held = event;
                    return;
                }
                track.onFrame(frame, now);
                if (held != null) {
                    track.onFrame(held, now);
                    held = null;
                    injected.incrementAndGet();
                }
            }
            case CROSS_USER -> {
                if (n == 3) {
                    UUID stranger = UUID.randomUUID();
                    String payload = Base64Url.encode(Payloads.make(64, stranger, runId, 0));
                    track.onFrame(new ServerFrame.DeliveredEvent(event.seq(), event.eventId(), event.deviceId(),
                            event.deviceSeq(), event.streamId(), event.streamSeq(), event.eventType(), payload,
                            event.expiresAt(), event.createdAt(), event.conflict()), now);
                    injected.incrementAndGet();
                    return;
                }
                track.onFrame(frame, now);
            }
            default -> track.onFrame(frame, now);
        }
    }

    /** True when a replayed event must be hidden from its device ({@code lose}). */
    boolean hideFromReplay(DeviceTrack track, ServerFrame.DeliveredEvent event) {
        return fault == Fault.LOSE && victim(track) && lost.contains(event.eventId());
    }
}
