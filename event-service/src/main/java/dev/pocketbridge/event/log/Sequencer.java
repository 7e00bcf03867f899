package dev.pocketbridge.event.log;

import java.util.UUID;

import dev.pocketbridge.common.protocol.RejectCode;

/**
 * The sequencing rules of §3.2 as a pure function of the state read under the user's lock, so
 * they can be tested without a database: duplicate, {@code event_id} conflict, monotonic
 * {@code device_seq}, the user's storage quota, then the next {@code seq}/{@code stream_seq} and
 * the conflict flag; before all of them, a sender that was erased or removed is refused.
 */
final class Sequencer {

    /** The message of an event whose user was erased, or whose device was removed, before it was stored. */
    static final String SENDER_GONE = "the sending device was removed or its user deleted";

    private Sequencer() {
    }

    /** The event as it is compared and stored: ids parsed, payload decoded. */
    record Candidate(UUID eventId, UUID deviceId, long deviceSeq, String streamId, String eventType, byte[] payload,
            Long expiresAt, Long baseStreamSeq) {

        /** What storing it counts against the user's quota. */
        long storedBytes() {
            return EventLog.storedBytes(payload.length);
        }
    }

    /**
     * The log's state for one candidate, read while holding the user's lock.
     *
     * @param quotaLeftBytes how many more bytes the user may store (quota minus usage; negative when
     *     a lowered quota is already passed)
     * @param senderGone the user was erased or the sending device removed (a tombstone): nothing of
     *     theirs is stored any more
     */
    record State(LoggedEvent existing, long lastDeviceSeq, long userHead, long streamHead, long quotaLeftBytes,
            boolean senderGone) {

        /** The state of a sender whose user and device still exist. */
        State(LoggedEvent existing, long lastDeviceSeq, long userHead, long streamHead, long quotaLeftBytes) {
            this(existing, lastDeviceSeq, userHead, streamHead, quotaLeftBytes, false);
        }
    }

    sealed interface Decision {
    }

    record Duplicate(LoggedEvent original) implements Decision {
    }

    record Reject(RejectCode code, String message) implements Decision {
    }

    record Append(long seq, long streamSeq, boolean conflict) implements Decision {
    }

    /**
     * The one place that decides whether an event has expired: an event whose {@code expires_at} is
     * before {@code expiredBefore} (now minus the clock-skew tolerance) is refused {@code expired},
     * unless it is a resend of an event stored before it expired (then {@code duplicate}: a late
     * redelivery must not turn an acknowledged event into a rejection). Validation (the format of the
     * fields) happened before; only well-formed events get here.
     */
    static Decision decide(Candidate c, long expiredBefore, State state) {
        if (state.senderGone()) {
            // Still on its way when the erasure ran: storing it would bring back what was erased.
            return new Reject(RejectCode.INVALID_EVENT, SENDER_GONE);
        }
        LoggedEvent existing = state.existing();
        boolean same = existing != null && existing.sameContent(c.deviceId(), c.deviceSeq(), c.streamId(),
                c.eventType(), c.payload(), c.expiresAt());
        if (c.expiresAt() != null && c.expiresAt() < expiredBefore) {
            return same ? new Duplicate(existing) : new Reject(RejectCode.EXPIRED, "expires_at is in the past");
        }
        if (existing != null) {
            return same ? new Duplicate(existing)
                    : new Reject(RejectCode.EVENT_ID_CONFLICT, "event_id was already used for a different event");
        }
        if (c.deviceSeq() <= state.lastDeviceSeq()) {
            return new Reject(RejectCode.NON_MONOTONIC_DEVICE_SEQ,
                    "device_seq must be greater than " + state.lastDeviceSeq());
        }
        if (c.storedBytes() > state.quotaLeftBytes()) {
            return new Reject(RejectCode.QUOTA_EXCEEDED,
                    "the user's stored events would exceed the storage quota; nothing more is stored until "
                            + "retention frees space");
        }
        boolean conflict = c.baseStreamSeq() != null && c.baseStreamSeq() < state.streamHead();
        return new Append(state.userHead() + 1, state.streamHead() + 1, conflict);
    }
}
