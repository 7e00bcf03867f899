package dev.pocketbridge.event.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.protocol.RejectCode;

class SequencerTest {

    private static final UUID EVENT = UUID.randomUUID();
    private static final UUID DEVICE = UUID.randomUUID();
    private static final byte[] PAYLOAD = {1, 2, 3};
    /** No event has expired: every {@code expires_at} is after it. */
    private static final long NOTHING_EXPIRED = Long.MIN_VALUE;
    private static final long UNLIMITED = Long.MAX_VALUE;

    private static Sequencer.Candidate candidate(long deviceSeq, Long baseStreamSeq) {
        return new Sequencer.Candidate(EVENT, DEVICE, deviceSeq, "notes", "note", PAYLOAD.clone(), null,
                baseStreamSeq);
    }

    private static LoggedEvent stored(UUID deviceId, long deviceSeq, String streamId, byte[] payload, Long expiresAt) {
        return new LoggedEvent(7, EVENT, deviceId, deviceSeq, streamId, 3, "note", payload, expiresAt, 1000, true);
    }

    private static Sequencer.State empty() {
        return new Sequencer.State(null, 0, 0, 0, UNLIMITED);
    }

    @Test
    void theFirstEventOfAUserGetsSeqOneAndStreamSeqOne() {
        assertThat(Sequencer.decide(candidate(1, null), NOTHING_EXPIRED, empty()))
                .isEqualTo(new Sequencer.Append(1, 1, false));
    }

    @Test
    void seqFollowsTheUserHeadAndStreamSeqTheStreamHead() {
        assertThat(Sequencer.decide(candidate(9, null), NOTHING_EXPIRED, new Sequencer.State(null, 4, 41, 6, UNLIMITED)))
                .isEqualTo(new Sequencer.Append(42, 7, false));
    }

    @Test
    void aDeviceSeqNotAboveTheLastStoredIsNonMonotonic() {
        Sequencer.State state = new Sequencer.State(null, 5, 10, 2, UNLIMITED);
        assertThat(Sequencer.decide(candidate(5, null), NOTHING_EXPIRED, state))
                .isInstanceOfSatisfying(Sequencer.Reject.class,
                        r -> assertThat(r.code()).isEqualTo(RejectCode.NON_MONOTONIC_DEVICE_SEQ));
        assertThat(Sequencer.decide(candidate(4, null), NOTHING_EXPIRED, state)).isInstanceOf(Sequencer.Reject.class);
        assertThat(Sequencer.decide(candidate(6, null), NOTHING_EXPIRED, state)).isInstanceOf(Sequencer.Append.class);
    }

    @Test
    void anEventOfAnErasedUserOrRemovedDeviceIsRefusedEvenWhenItWasStoredBefore() {
        LoggedEvent original = stored(DEVICE, 3, "notes", PAYLOAD.clone(), null);
        for (Sequencer.State gone : new Sequencer.State[] {new Sequencer.State(null, 0, 0, 0, UNLIMITED, true),
                new Sequencer.State(original, 8, 20, 5, UNLIMITED, true)}) {
            assertThat(Sequencer.decide(candidate(3, null), NOTHING_EXPIRED, gone)).isEqualTo(
                    new Sequencer.Reject(RejectCode.INVALID_EVENT, Sequencer.SENDER_GONE));
        }
        assertThat(Sequencer.decide(candidate(3, null), NOTHING_EXPIRED, new Sequencer.State(original, 8, 20, 5, UNLIMITED)))
                .isEqualTo(new Sequencer.Duplicate(original));
    }

    @Test
    void gapsInDeviceSeqAreAllowed() {
        assertThat(Sequencer.decide(candidate(100, null), NOTHING_EXPIRED, new Sequencer.State(null, 5, 10, 2, UNLIMITED)))
                .isEqualTo(new Sequencer.Append(11, 3, false));
    }

    @Test
    void anIdenticalResendIsADuplicateOfTheOriginalEvenBelowTheDeviceSeq() {
        LoggedEvent original = stored(DEVICE, 3, "notes", PAYLOAD.clone(), null);
        assertThat(Sequencer.decide(candidate(3, null), NOTHING_EXPIRED, new Sequencer.State(original, 8, 20, 5, UNLIMITED)))
                .isEqualTo(new Sequencer.Duplicate(original));
    }

    @Test
    void theSameEventIdWithAnyOtherContentIsAConflict() {
        Sequencer.State[] states = {
                new Sequencer.State(stored(UUID.randomUUID(), 3, "notes", PAYLOAD.clone(), null), 8, 20, 5, UNLIMITED),
                new Sequencer.State(stored(DEVICE, 2, "notes", PAYLOAD.clone(), null), 8, 20, 5, UNLIMITED),
                new Sequencer.State(stored(DEVICE, 3, "other", PAYLOAD.clone(), null), 8, 20, 5, UNLIMITED),
                new Sequencer.State(stored(DEVICE, 3, "notes", new byte[] {9}, null), 8, 20, 5, UNLIMITED),
                new Sequencer.State(stored(DEVICE, 3, "notes", PAYLOAD.clone(), 5000L), 8, 20, 5, UNLIMITED)};
        for (Sequencer.State state : states) {
            assertThat(Sequencer.decide(candidate(3, null), NOTHING_EXPIRED, state))
                    .isInstanceOfSatisfying(Sequencer.Reject.class,
                            r -> assertThat(r.code()).isEqualTo(RejectCode.EVENT_ID_CONFLICT));
        }
    }

    @Test
    void aBaseStreamSeqBelowTheStreamHeadMarksAConflictButIsStored() {
        Sequencer.State state = new Sequencer.State(null, 0, 10, 4, UNLIMITED);
        assertThat(Sequencer.decide(candidate(1, 3L), NOTHING_EXPIRED, state)).isEqualTo(new Sequencer.Append(11, 5, true));
        assertThat(Sequencer.decide(candidate(1, 4L), NOTHING_EXPIRED, state)).isEqualTo(new Sequencer.Append(11, 5, false));
        assertThat(Sequencer.decide(candidate(1, null), NOTHING_EXPIRED, state)).isEqualTo(new Sequencer.Append(11, 5, false));
    }

    @Test
    void anEventPastItsExpiryIsRefusedUnlessItIsAResendOfAStoredOne() {
        long expiredBefore = 1_000;
        Sequencer.Candidate late = new Sequencer.Candidate(EVENT, DEVICE, 3, "notes", "note", PAYLOAD.clone(), 999L,
                null);
        LoggedEvent original = stored(DEVICE, 3, "notes", PAYLOAD.clone(), 999L);
        assertThat(Sequencer.decide(late, expiredBefore, new Sequencer.State(original, 3, 7, 3, UNLIMITED)))
                .isEqualTo(new Sequencer.Duplicate(original));
        assertThat(Sequencer.decide(late, expiredBefore, new Sequencer.State(null, 2, 7, 3, UNLIMITED)))
                .isInstanceOfSatisfying(Sequencer.Reject.class,
                        r -> assertThat(r.code()).isEqualTo(RejectCode.EXPIRED));
        assertThat(Sequencer.decide(late, 999, new Sequencer.State(null, 2, 7, 3, UNLIMITED)))
                .as("at the cut itself it has not expired yet").isInstanceOf(Sequencer.Append.class);
    }

    @Test
    void anEventFitsTheQuotaUpToTheLastByteAndNotOneMore() {
        long charge = EventLog.storedBytes(PAYLOAD.length);
        assertThat(Sequencer.decide(candidate(1, null), NOTHING_EXPIRED, new Sequencer.State(null, 0, 10, 4, charge)))
                .isEqualTo(new Sequencer.Append(11, 5, false));
        assertThat(Sequencer.decide(candidate(1, null), NOTHING_EXPIRED, new Sequencer.State(null, 0, 10, 4, charge - 1)))
                .isInstanceOfSatisfying(Sequencer.Reject.class,
                        r -> assertThat(r.code()).isEqualTo(RejectCode.QUOTA_EXCEEDED));
    }

    @Test
    void aResendOfAStoredEventIsADuplicateEvenOverTheQuota() {
        LoggedEvent original = stored(DEVICE, 3, "notes", PAYLOAD.clone(), null);
        assertThat(Sequencer.decide(candidate(3, null), NOTHING_EXPIRED, new Sequencer.State(original, 3, 7, 3, -1)))
                .isEqualTo(new Sequencer.Duplicate(original));
    }
}
