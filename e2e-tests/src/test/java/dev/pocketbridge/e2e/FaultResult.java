package dev.pocketbridge.e2e;

import java.util.List;
import java.util.Map;

/**
 * What one fault did to the traffic and how the system came back, as the suite measured it.
 *
 * @param sent             events first sent during the fault's phase
 * @param acked            of those, acknowledged ({@code event_ack}) to their sender
 * @param checked          acknowledged events checked on every other device of their user
 * @param lost             acknowledged events some other device of the user never had (must be 0)
 * @param storedTwice      events stored under two seqs, or two events under one seq (must be 0)
 * @param rejectedForGood  events answered with a rejection the sender does not retry (not stored)
 * @param unresolved       events still unanswered when the phase was checked
 * @param downSeconds      from the fault (kill or stop) to the restarted process being ready, or
 *                         to the end of the outage
 * @param roundTripSeconds from that moment until every user had a fresh event round trip
 * @param probeSeconds     from that moment until a token, a handshake on each node and a replay
 *                         succeeded for a device outside the traffic
 * @param recovered        the round trip and the probe succeeded, every process was ready again,
 *                         and every device caught up, with no step but the supervisor's restart
 * @param violations       failed checks, with examples
 * @param lostExamples     some of the lost events
 * @param counters         resends, redeliveries, rejections by code, closes by code, failed handshakes, replays
 * @param notes            what was observed along the way (where sessions were, what failed)
 */
record FaultResult(FaultInjectionIT.Fault fault, long sent, long acked, long checked, long lost, long storedTwice,
        long rejectedForGood, long unresolved, Double downSeconds, Double roundTripSeconds, Double probeSeconds,
        boolean recovered, List<Traffic.Violation> violations, List<String> lostExamples, Map<String, Long> counters,
        List<String> notes) {

    /** Seconds from the restarted process being ready (or the outage ending) to a working system. */
    Double recoverySeconds() {
        if (roundTripSeconds == null || probeSeconds == null) {
            return null;
        }
        return Math.max(roundTripSeconds, probeSeconds);
    }

    boolean passed() {
        return recovered && lost == 0 && storedTwice == 0 && violations.isEmpty();
    }
}
