package dev.pocketbridge.event.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.internal.DevicePosition;
import dev.pocketbridge.common.kafka.InboundEvent;
import dev.pocketbridge.common.protocol.ReplayPage;
import dev.pocketbridge.common.protocol.ServerFrame;
import dev.pocketbridge.event.EventServiceIntegrationTest;
import dev.pocketbridge.event.log.AppendOutcome;
import dev.pocketbridge.event.log.EventLog;
import dev.pocketbridge.event.log.LogProperties;
import dev.pocketbridge.event.log.LogPurges;

/**
 * Retention and TTL purges on the real database, with the test clock: events are stored "long ago"
 * by moving the clock back, so they are the oldest rows of the shared database and a purge takes
 * them first.
 */
class RetentionIntegrationTest extends EventServiceIntegrationTest {

    private static final byte[] PAYLOAD = new byte[100];

    @Autowired
    EventLog eventLog;
    @Autowired
    LogPurges purges;
    @Autowired
    RetentionPurger purger;
    @Autowired
    RetentionProperties retention;
    @Autowired
    LogProperties logProperties;
    @Autowired
    TransactionTemplate transaction;
    @Autowired
    JdbcClient jdbc;

    @Test
    void purgesMoveOldestAvailableSeqBatchByBatchAndFreeTheQuota() {
        Sender a = Sender.create(0);
        UUID user = UUID.fromString(a.userId());
        clock.advance(Duration.ofDays(-400));
        appendAll(a, 1, 5);
        clock.reset();
        appendAll(a, 6, 6);
        long one = EventLog.storedBytes(PAYLOAD.length);
        assertThat(eventLog.storedBytes(user)).isEqualTo(6 * one);
        String earlyToken = replay(a, "&after_seq=0&limit=1").continuationToken();

        LogPurges.Purged batch = purges.purgeCreatedBefore(clock.instant().minus(retention.period()), 2);

        assertThat(batch).isEqualTo(new LogPurges.Purged(2, 2 * one));
        assertThat(position(a).oldestAvailableSeq()).isEqualTo(3);
        assertThat(eventLog.storedBytes(user)).isEqualTo(4 * one);

        assertThat(purger.purge()).as("the rest of the expired events, and nothing of today").isGreaterThanOrEqualTo(3);

        DevicePosition position = position(a);
        assertThat(position.oldestAvailableSeq()).isEqualTo(6);
        assertThat(position.headSeq()).isEqualTo(6);
        assertThat(eventLog.storedBytes(user)).isEqualTo(one);
        // Replaying the purged range: it is skipped, the page starts at the oldest kept event and says so.
        ReplayPage page = replay(a, "&after_seq=0");
        assertThat(page.events()).extracting(ServerFrame.DeliveredEvent::seq).containsExactly(6L);
        assertThat(page.oldestAvailableSeq()).isEqualTo(6);
        assertThat(page.throughSeq()).isEqualTo(6);
        assertThat(replay(a, "&continuation_token=" + earlyToken).events())
                .extracting(ServerFrame.DeliveredEvent::seq).containsExactly(6L);
        // The log goes on where it was: seq and the device's position are kept.
        assertThat(stored(eventLog.append(a.event(7, PAYLOAD))).event().seq()).isEqualTo(7);
    }

    @Test
    void purgingTheWholeLogLeavesOldestAvailableSeqAboveTheHead() {
        Sender a = Sender.create(0);
        clock.advance(Duration.ofDays(-300));
        appendAll(a, 1, 3);
        clock.reset();

        purger.purge();

        assertThat(position(a).oldestAvailableSeq()).isEqualTo(4);
        assertThat(position(a).headSeq()).isEqualTo(3);
        assertThat(eventLog.storedBytes(UUID.fromString(a.userId()))).isZero();
        ReplayPage page = replay(a, "&after_seq=0");
        assertThat(page.isEmpty()).isTrue();
        assertThat(page.throughSeq()).isEqualTo(3);
    }

    @Test
    void eventsPastTheirOwnExpiryArePurgedAfterTheGrace() {
        Sender a = Sender.create(0);
        long soon = clock.millis() + Duration.ofMinutes(1).toMillis();
        eventLog.appendAll(List.of(a.event(1, PAYLOAD, soon), a.event(2, PAYLOAD)));
        clock.advance(Duration.ofMinutes(2));
        purger.purge();
        assertThat(position(a).oldestAvailableSeq()).as("within the grace").isEqualTo(1);

        clock.advance(retention.expiredGrace());
        purger.purge();

        assertThat(position(a).oldestAvailableSeq()).isEqualTo(2);
        assertThat(eventLog.storedBytes(UUID.fromString(a.userId()))).isEqualTo(EventLog.storedBytes(PAYLOAD.length));
    }

    @Test
    void aPurgeFreesQuotaForEventsThatWereRejected() {
        Sender a = Sender.create(0);
        UUID user = UUID.fromString(a.userId());
        clock.advance(Duration.ofDays(-200));
        appendAll(a, 1, 1);
        clock.reset();
        // Everything else of the quota is taken: the next event does not fit.
        jdbc.sql("UPDATE user_logs SET appended_bytes = :b WHERE user_id = :u")
                .param("b", logProperties.quotaBytes()).param("u", user).update();
        assertThat(eventLog.append(a.event(2, PAYLOAD))).isInstanceOfSatisfying(AppendOutcome.Rejected.class,
                r -> assertThat(r.code().wire()).isEqualTo("quota_exceeded"));

        purger.purge();

        assertThat(eventLog.storedBytes(user)).isEqualTo(logProperties.quotaBytes() - EventLog.storedBytes(PAYLOAD.length));
        assertThat(stored(eventLog.append(a.event(2, PAYLOAD))).event().seq()).isEqualTo(2);
    }

    @Test
    void aPurgeInProgressNeverHoldsUpTheSameUsersAppends() throws Exception {
        Sender a = Sender.create(0);
        clock.advance(Duration.ofDays(-500));
        appendAll(a, 1, 3);
        clock.reset();
        CountDownLatch purged = new CountDownLatch(1);
        CountDownLatch appended = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            // A purge transaction that deleted the user's old events and has not committed yet.
            Future<LogPurges.Purged> purge = pool.submit(() -> transaction.execute(status -> {
                LogPurges.Purged p = purges.purgeCreatedBefore(clock.instant().minus(retention.period()), 1000);
                purged.countDown();
                try {
                    appended.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return p;
            }));
            assertThat(purged.await(30, TimeUnit.SECONDS)).isTrue();

            AppendOutcome outcome = CompletableFuture.supplyAsync(() -> eventLog.append(a.event(4, PAYLOAD)), pool)
                    .get(10, TimeUnit.SECONDS);
            appended.countDown();

            assertThat(stored(outcome).event().seq()).isEqualTo(4);
            assertThat(purge.get(30, TimeUnit.SECONDS).events()).isGreaterThanOrEqualTo(3);
        } finally {
            appended.countDown();
            pool.shutdownNow();
        }
        assertThat(position(a).oldestAvailableSeq()).isEqualTo(4);
    }

    private void appendAll(Sender s, int fromDeviceSeq, int toDeviceSeq) {
        List<InboundEvent> events = new ArrayList<>();
        for (int i = fromDeviceSeq; i <= toDeviceSeq; i++) {
            events.add(s.event(i, PAYLOAD));
        }
        assertThat(eventLog.appendAll(events)).allMatch(o -> o instanceof AppendOutcome.Stored);
    }

    private static AppendOutcome.Stored stored(AppendOutcome outcome) {
        assertThat(outcome).isInstanceOf(AppendOutcome.Stored.class);
        return (AppendOutcome.Stored) outcome;
    }

    private ReplayPage replay(Sender s, String query) {
        var response = get("/internal/v1/users/" + s.userId() + "/events?device_id=" + s.deviceId() + query);
        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        return Json.read(response.raw().body(), ReplayPage.class);
    }

    private DevicePosition position(Sender s) {
        return position(s.userId(), s.deviceId());
    }
}
