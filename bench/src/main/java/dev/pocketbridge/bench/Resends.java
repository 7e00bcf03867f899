package dev.pocketbridge.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.pocketbridge.client.AwaitTimeoutException;
import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.client.SessionClosedException;
import dev.pocketbridge.common.protocol.ServerFrame;

/** After a window: the events answered {@code unavailable}, resent to check that resending is always safe. */
final class Resends {

    private static final int SAMPLE = 100;
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private Resends() {
    }

    /**
     * "Resending it is always safe": resends (the same frame) up to {@value #SAMPLE} events
     * answered {@code unavailable}; each must come back {@code duplicate} with the seq it was stored
     * under, or {@code stored} if it never was.
     */
    static Results.Resend unavailable(LoadSessions sessions, String label, Ledger ledger) {
        List<Sent> candidates = ledger.all().stream()
                .filter(s -> Ledger.UNAVAILABLE.equals(s.rejectCode) && !s.acked() && s.frame != null)
                .limit(SAMPLE)
                .toList();
        if (candidates.isEmpty()) {
            return Results.Resend.NONE;
        }
        Console.progress(label, "resending " + candidates.size() + " events answered unavailable");
        long deadline = System.nanoTime() + LIMIT.toNanos();
        long duplicate = 0;
        long stored = 0;
        long inconclusive = 0;
        Map<String, Long> other = new TreeMap<>();
        List<Sent> sent = new ArrayList<>();
        for (Sent s : candidates) {
            try {
                sessions.sessions[s.user][s.device].send(s.frame);
                sent.add(s);
            } catch (RuntimeException e) {
                inconclusive++;
            }
        }
        for (Sent s : sent) {
            DeviceSession session = sessions.sessions[s.user][s.device];
            long remaining = deadline - System.nanoTime();
            ServerFrame outcome;
            try {
                outcome = remaining <= 0 ? null : session.awaitOutcome(s.eventId, Duration.ofNanos(remaining));
            } catch (AwaitTimeoutException | SessionClosedException e) {
                outcome = null;
            }
            switch (outcome) {
                case null -> inconclusive++;
                case ServerFrame.EventAck ack -> {
                    long before = s.seq.get();
                    ledger.resendSeq(s, ack.seq());
                    if (ServerFrame.EventAck.DUPLICATE.equals(ack.status())) {
                        duplicate++;
                    } else {
                        stored++;
                        if (before != 0) {
                            ledger.violations.add(Violations.RESEND, s + " was already stored under seq " + before
                                    + " and the resend was stored again as seq " + ack.seq());
                        } else {
                            s.storedByResend = true;
                        }
                    }
                }
                case ServerFrame.EventRejected r -> {
                    if (Ledger.UNAVAILABLE.equals(r.code()) || Ledger.BACKPRESSURE.equals(r.code())) {
                        inconclusive++;
                    } else {
                        other.merge(String.valueOf(r.code()), 1L, Long::sum);
                        ledger.violations.add(Violations.RESEND, s + ": resend answered " + r.code() + " ("
                                + r.message() + ")");
                    }
                }
                default -> inconclusive++;
            }
        }
        return new Results.Resend(candidates.size(), duplicate, stored, inconclusive, other);
    }
}
