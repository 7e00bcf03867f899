package dev.pocketbridge.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The correctness checks that failed, each with a count and a few examples. Thread-safe. */
public final class Violations {

    /** Every acked event reaches every other device of its user that was online for the whole window. */
    public static final String MISSING_DELIVERY = "missing_delivery";
    /** A receiving session saw a seq that was not above the one before. */
    public static final String ORDER = "order";
    /** A device received an event of another user. */
    public static final String CROSS_USER = "cross_user";
    /** An event answered with a rejection (other than unavailable) was stored anyway. */
    public static final String REJECTED_STORED = "rejected_event_stored";
    /** One event got two seqs, or one seq was given to two events of a user. */
    public static final String SEQ_CONFLICT = "seq_conflict";
    /** A resend of an event answered unavailable was neither a duplicate nor stored once. */
    public static final String RESEND = "resend_not_idempotent";
    /** A delivered event's payload is not the one sent with its event_id. */
    public static final String PAYLOAD = "payload_mismatch";
    /** W4: the device that caught up did not get exactly seq 1..N in order. */
    public static final String CATCH_UP = "catch_up_incomplete";

    static final Map<String, String> DESCRIPTIONS = Map.of(
            MISSING_DELIVERY, "acked events not delivered (live or by replay) to another online device of the user",
            ORDER, "deliveries on a session whose seq was not above the previous one",
            CROSS_USER, "events delivered to a device of another user",
            REJECTED_STORED, "events answered event_rejected (not unavailable) that were stored anyway",
            SEQ_CONFLICT, "an event stored under two seqs, or a seq given to two events",
            RESEND, "resends of an event answered unavailable that were neither duplicate nor stored once",
            PAYLOAD, "delivered payloads that do not carry the marker sent with their event_id",
            CATCH_UP, "the catching-up device did not get exactly seq 1..N in order");

    private static final int EXAMPLES = 5;

    /** One failed check. */
    public record Violation(String check, String description, long count, List<String> examples) {
    }

    private final Map<String, long[]> counts = new LinkedHashMap<>();
    private final Map<String, List<String>> examples = new LinkedHashMap<>();

    public synchronized void add(String check, String example) {
        counts.computeIfAbsent(check, k -> new long[1])[0]++;
        List<String> list = examples.computeIfAbsent(check, k -> new ArrayList<>());
        if (list.size() < EXAMPLES) {
            list.add(example);
        }
    }

    /** Adds a failed check of another window, its examples prefixed with where it happened. */
    public synchronized void add(Violation v, String prefix) {
        counts.computeIfAbsent(v.check(), k -> new long[1])[0] += v.count();
        List<String> list = examples.computeIfAbsent(v.check(), k -> new ArrayList<>());
        for (String e : v.examples()) {
            if (list.size() < EXAMPLES) {
                list.add(prefix + e);
            }
        }
    }

    public synchronized void addAll(Violations other) {
        for (Violation v : other.list()) {
            counts.computeIfAbsent(v.check(), k -> new long[1])[0] += v.count();
            List<String> list = examples.computeIfAbsent(v.check(), k -> new ArrayList<>());
            for (String e : v.examples()) {
                if (list.size() < EXAMPLES) {
                    list.add(e);
                }
            }
        }
    }

    /** Moves everything recorded here into {@code target}, leaving this empty. */
    public void drainTo(Violations target) {
        List<Violation> moved;
        synchronized (this) {
            moved = list();
            counts.clear();
            examples.clear();
        }
        for (Violation v : moved) {
            synchronized (target) {
                target.counts.computeIfAbsent(v.check(), k -> new long[1])[0] += v.count();
                List<String> list = target.examples.computeIfAbsent(v.check(), k -> new ArrayList<>());
                for (String e : v.examples()) {
                    if (list.size() < EXAMPLES) {
                        list.add(e);
                    }
                }
            }
        }
    }

    public synchronized long count(String check) {
        long[] c = counts.get(check);
        return c == null ? 0 : c[0];
    }

    public synchronized boolean isEmpty() {
        return counts.isEmpty();
    }

    public synchronized List<Violation> list() {
        List<Violation> list = new ArrayList<>();
        counts.forEach((check, c) -> list.add(new Violation(check, DESCRIPTIONS.getOrDefault(check, check), c[0],
                List.copyOf(examples.getOrDefault(check, List.of())))));
        return list;
    }
}
