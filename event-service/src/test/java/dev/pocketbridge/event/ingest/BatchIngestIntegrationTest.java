package dev.pocketbridge.event.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.support.KafkaHeaders;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.InboundEvent;
import dev.pocketbridge.common.kafka.StoredEvent;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.RejectCode;
import dev.pocketbridge.common.protocol.ServerFrame;
import dev.pocketbridge.event.EventServiceIntegrationTest;
import dev.pocketbridge.event.cursor.DeviceCursors;
import dev.pocketbridge.event.log.AppendOutcome;
import dev.pocketbridge.event.log.EventLog;
import dev.pocketbridge.event.log.LogPages;
import dev.pocketbridge.event.log.LogProperties;
import dev.pocketbridge.event.log.LoggedEvent;

/** The batch-at-a-time ingest: a poll is one transaction and one flush, with every guarantee of one at a time. */
class BatchIngestIntegrationTest extends EventServiceIntegrationTest {

    private static final AtomicLong OFFSETS = new AtomicLong(1_000_000);

    @Autowired
    JdbcClient jdbc;
    @Autowired
    EventLog eventLog;
    @Autowired
    LogPages pages;
    @Autowired
    InboundEventListener listener;
    @Autowired
    DeviceCursors cursors;
    @Autowired
    LogProperties logProperties;

    @AfterEach
    void dropCommitFailure() {
        jdbc.sql("DROP TRIGGER IF EXISTS fail_commit ON events").update();
        jdbc.sql("DROP FUNCTION IF EXISTS fail_commit()").update();
        jdbc.sql("DROP TABLE IF EXISTS failing_users").update();
    }

    @Test
    void aBatchHasTheOutcomesOfAppendingItsEventsOneAtATime() {
        Sender a = Sender.create(1);
        Sender a2 = a.otherDevice();
        Sender b = Sender.create(2);
        InboundEvent first = a.event(1, "s");
        List<InboundEvent> batch = List.of(first, b.event(1, "s"), a2.event(1, "s"), first, a.event(1, "s"),
                a.event(uuid(), 2, "s", 1L, null), b.event(2, "other"), a.event(first.event().eventId(), 3, "s", null, null));

        List<AppendOutcome> outcomes = eventLog.appendAll(batch);

        assertThat(outcomes).hasSize(8);
        assertThat(stored(outcomes.get(0))).extracting(e -> e.event().seq(), e -> e.event().streamSeq(),
                AppendOutcome.Stored::duplicate).containsExactly(1L, 1L, false);
        assertThat(stored(outcomes.get(1)).event().seq()).as("another user's log").isEqualTo(1);
        assertThat(stored(outcomes.get(2)).event().seq()).isEqualTo(2);
        assertThat(stored(outcomes.get(3))).as("a resend within the batch")
                .extracting(e -> e.event().seq(), AppendOutcome.Stored::duplicate).containsExactly(1L, true);
        assertThat(rejected(outcomes.get(4))).isEqualTo(RejectCode.NON_MONOTONIC_DEVICE_SEQ);
        assertThat(stored(outcomes.get(5))).as("based on stream_seq 1 while a2 moved the stream to 2")
                .extracting(e -> e.event().seq(), e -> e.event().streamSeq(), e -> e.event().conflict())
                .containsExactly(3L, 3L, true);
        assertThat(stored(outcomes.get(6))).extracting(e -> e.event().seq(), e -> e.event().streamSeq())
                .containsExactly(2L, 1L);
        assertThat(rejected(outcomes.get(7))).isEqualTo(RejectCode.EVENT_ID_CONFLICT);
        assertThat(rows(a.userId())).isEqualTo(3);
        assertThat(rows(b.userId())).isEqualTo(2);
        // The heads written back are the batch's last values: the next event continues from them.
        assertThat(stored(eventLog.append(a.event(4, "s"))).event()).extracting(e -> e.seq(), e -> e.streamSeq())
                .containsExactly(4L, 4L);
        assertThat(rejected(eventLog.append(a2.event(1, "s")))).isEqualTo(RejectCode.NON_MONOTONIC_DEVICE_SEQ);
    }

    @Test
    void theQuotaIsKeptWithinABatchExactlyAsOneAtATime() {
        Sender a = Sender.create(0);
        Sender twin = Sender.create(0);
        Sender other = Sender.create(0);
        long event = EventLog.storedBytes(300);
        long small = EventLog.storedBytes(1);
        // Room for two events and a small one, one byte to spare: the third event does not fit, the
        // small one after it does, the next small one does not.
        long room = 2 * event + small + 1;
        for (Sender s : List.of(a, twin)) {
            jdbc.sql("INSERT INTO user_logs (user_id, head_seq, appended_bytes) VALUES (:u, 0, :b)")
                    .param("u", UUID.fromString(s.userId())).param("b", logProperties.quotaBytes() - room).update();
        }
        List<InboundEvent> batch = new ArrayList<>(quotaScript(a));
        batch.add(1, other.event(1, new byte[300]));

        List<AppendOutcome> together = eventLog.appendAll(batch);
        List<AppendOutcome> alone = quotaScript(twin).stream().map(eventLog::append).toList();

        List<String> expected = List.of("stored 1", "stored 2", "quota_exceeded", "duplicate 1", "stored 3",
                "quota_exceeded");
        List<AppendOutcome> ofA = new ArrayList<>(together);
        assertThat(describe(ofA.remove(1))).as("another user in the batch").isEqualTo("stored 1");
        assertThat(ofA).extracting(BatchIngestIntegrationTest::describe).containsExactlyElementsOf(expected);
        assertThat(alone).extracting(BatchIngestIntegrationTest::describe).containsExactlyElementsOf(expected);
        assertThat(eventLog.storedBytes(UUID.fromString(a.userId()))).isEqualTo(logProperties.quotaBytes() - 1)
                .isEqualTo(eventLog.storedBytes(UUID.fromString(twin.userId())));
        assertThat(rows(a.userId())).isEqualTo(3);
    }

    /** Three events of 300 bytes, a resend of the first, two of one byte. */
    private static List<InboundEvent> quotaScript(Sender s) {
        InboundEvent first = s.event(1, new byte[300]);
        return List.of(first, s.event(2, new byte[300]), s.event(3, new byte[300]), first, s.event(4, new byte[1]),
                s.event(5, new byte[1]));
    }

    private static String describe(AppendOutcome outcome) {
        return switch (outcome) {
            case AppendOutcome.Stored s -> (s.duplicate() ? "duplicate " : "stored ") + s.event().seq();
            case AppendOutcome.Rejected r -> r.code().wire();
        };
    }

    @Test
    void anUnprocessableRecordInTheMiddleOfABatchIsDeadLetteredAndTheRestKeepTheirOrder() {
        Sender a = Sender.create(0);
        InboundEvent noCanonicalUser = InboundEvent.of(a.userId().toUpperCase(), a.deviceId(), a.origin(), 0L,
                new ClientFrame.SendEvent(uuid(), 9L, "s", "note", "AAAA", null, null));
        List<ConsumerRecord<String, String>> batch = List.of(
                record(a.userId(), Json.write(a.event(1, "s"))),
                record(a.userId(), "{not json"),
                record(a.userId(), Json.write(a.event(2, "s"))),
                record(a.userId(), Json.write(noCanonicalUser)),
                record(a.userId(), null),
                record(a.userId(), Json.write(a.event(3, "s"))));

        listener.onInbound(batch);

        List<StoredEvent> out = awaitStored(a.userId(), 3);
        assertThat(out).extracting(s -> s.event().deviceSeq()).containsExactly(1L, 2L, 3L);
        assertThat(out).extracting(s -> s.event().seq()).containsExactly(1L, 2L, 3L);
        await().atMost(WAIT).until(() -> deadLetters(a.userId()).size() >= 3);
        List<ConsumerRecord<String, String>> dead = deadLetters(a.userId());
        assertThat(dead).extracting(ConsumerRecord::value)
                .containsExactly("{not json", Json.write(noCanonicalUser), null);
        assertThat(header(dead.getFirst(), KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo(Topics.EVENTS_INBOUND);
        assertThat(header(dead.get(1), KafkaHeaders.DLT_EXCEPTION_MESSAGE)).contains("user_id");
    }

    @Test
    void aBatchWhoseCommitFailsIsStoredLaterWholeAndInOrder() {
        Sender a = Sender.create(0);
        failCommitsOf(a.userId());
        List<InboundEvent> events = List.of(a.event(1, "s"), a.event(2, "t"), a.event(3, "s"));

        // At the listener: the batch fails as a whole; nothing of it is stored or published.
        assertThatThrownBy(() -> listener.onInbound(events.stream().map(e -> record(a.userId(), Json.write(e))).toList()))
                .rootCause().hasMessageContaining("commit refused");
        assertThat(rows(a.userId())).isZero();

        // Through Kafka: the consumer retries the failed batch in place until the database takes it.
        events.forEach(EventServiceIntegrationTest::sendInbound);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> stored(a.userId()).isEmpty() && rows(a.userId()) == 0);
        jdbc.sql("DELETE FROM failing_users").update();

        List<StoredEvent> out = awaitStored(a.userId(), 3);
        assertThat(out).extracting(StoredEvent::status).containsOnly("stored");
        assertThat(out).extracting(s -> s.event().seq()).containsExactly(1L, 2L, 3L);
        assertThat(out).extracting(s -> s.event().eventId()).containsExactlyElementsOf(
                events.stream().map(e -> e.event().eventId()).toList());
        assertThat(rows(a.userId())).isEqualTo(3);
    }

    @Test
    void aCrashBetweenABatchsCommitAndItsPublishIsRepairedInOrderByTheRedelivery() {
        Sender a = Sender.create(4);
        List<InboundEvent> events = List.of(a.event(1, "s"), a.event(2, "s"), a.event(3, "s"));
        // The batch committed, its outcomes were never published (the process died), the offsets never moved.
        List<AppendOutcome> committed = eventLog.appendAll(events);
        assertThat(stored(a.userId())).isEmpty();

        List<InboundEvent> redelivered = new ArrayList<>(events);
        redelivered.add(a.event(4, "s"));
        List<StoredEvent> out = storeAll(a, redelivered);

        assertThat(out).extracting(StoredEvent::status).containsExactly("duplicate", "duplicate", "duplicate", "stored");
        assertThat(out).extracting(s -> s.event().seq()).containsExactly(1L, 2L, 3L, 4L);
        for (int i = 0; i < 3; i++) {
            assertThat(out.get(i).event()).isEqualTo(stored(committed.get(i)).event());
        }
        assertThat(rows(a.userId())).isEqualTo(4);
    }

    @Test
    void appendsAndCursorWritesOfTheSameDevicesNeverDeadlock() throws Exception {
        // 40 users with 3 devices each: appends touch the devices' rows in the order their events
        // come (here: reversed), cursor writes in whatever order the acks come; both must lock in one order.
        List<Sender> devices = new ArrayList<>();
        for (int u = 0; u < 40; u++) {
            Sender first = Sender.create(0);
            devices.add(first);
            devices.add(first.otherDevice());
            devices.add(first.otherDevice());
        }
        List<Sender> reversed = devices.reversed();
        eventLog.appendAll(devices.stream().map(d -> d.event(1, "s")).toList());
        int rounds = 40;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> appends = pool.submit(() -> {
                for (int r = 2; r < rounds + 2; r++) {
                    long seq = r;
                    eventLog.appendAll(reversed.stream().map(d -> d.event(seq, "s")).toList());
                }
                return null;
            });
            Future<?> acks = pool.submit(() -> {
                for (int r = 1; r <= rounds; r++) {
                    Map<DeviceCursors.Device, Long> seqs = new LinkedHashMap<>();
                    for (Sender d : (r % 2 == 0 ? devices : reversed)) {
                        seqs.put(new DeviceCursors.Device(UUID.fromString(d.userId()), UUID.fromString(d.deviceId())),
                                (long) r);
                    }
                    cursors.ackAll(seqs);
                }
                return null;
            });
            // A deadlock fails one of them: PostgreSQL breaks it after deadlock_timeout.
            appends.get(120, TimeUnit.SECONDS);
            acks.get(120, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(rows(devices.getFirst().userId())).isEqualTo(3 * (rounds + 1));
    }

    @Test
    void batchesOfOneUserAppendedAtOnceAreSerialisedByItsHeadRow() throws Exception {
        // Four devices of one user, each appending its own batches from its own thread, as two consumers
        // briefly do in a rebalance: every batch waits for the head row, then continues from the last.
        Sender first = Sender.create(0);
        List<Sender> devices = List.of(first, first.otherDevice(), first.otherDevice(), first.otherDevice());
        int batches = 15;
        int perBatch = 4;
        ExecutorService pool = Executors.newFixedThreadPool(devices.size());
        List<AppendOutcome> outcomes = new ArrayList<>();
        try {
            List<Future<List<AppendOutcome>>> appends = devices.stream().map(d -> pool.submit(() -> {
                List<AppendOutcome> mine = new ArrayList<>();
                for (int b = 0; b < batches; b++) {
                    List<InboundEvent> batch = new ArrayList<>();
                    for (int i = 1; i <= perBatch; i++) {
                        long deviceSeq = (long) b * perBatch + i;
                        batch.add(d.event(uuid(), deviceSeq, i % 2 == 0 ? "s" : "t", null,
                                deviceSeq % 3 == 0 ? System.currentTimeMillis() + 3_600_000 : null));
                    }
                    mine.addAll(eventLog.appendAll(batch));
                }
                return mine;
            })).toList();
            for (Future<List<AppendOutcome>> append : appends) {
                outcomes.addAll(append.get(120, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        int total = devices.size() * batches * perBatch;
        assertThat(outcomes).hasSize(total).allSatisfy(o -> assertThat(stored(o).duplicate()).isFalse());
        assertThat(outcomes).extracting(o -> stored(o).event().seq()).doesNotHaveDuplicates()
                .allMatch(seq -> seq >= 1 && seq <= total);
        UUID user = UUID.fromString(first.userId());
        LogPages.Page all = pages.page(user, 0, total, Long.MAX_VALUE, 0, Instant.now());
        assertThat(all.headSeq()).isEqualTo(total);
        assertThat(all.hasMore()).isFalse();
        // What was written reads back exactly as the appends answered, every field.
        List<ServerFrame.DeliveredEvent> log = all.events().stream().map(LoggedEvent::toDelivered).toList();
        assertThat(log).containsExactlyElementsOf(outcomes.stream().map(o -> stored(o).event())
                .sorted(Comparator.comparingLong(ServerFrame.DeliveredEvent::seq)).toList());
        // Each stream counts its own events without a gap, in the order of the log.
        for (String stream : List.of("s", "t")) {
            assertThat(log.stream().filter(e -> e.streamId().equals(stream)).map(ServerFrame.DeliveredEvent::streamSeq))
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, total / 2).boxed().toList());
        }
        // Each device's events keep its order, and its position is its last device_seq.
        for (Sender d : devices) {
            assertThat(log.stream().filter(e -> e.deviceId().equals(d.deviceId())).map(ServerFrame.DeliveredEvent::deviceSeq))
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, (long) batches * perBatch)
                            .boxed().toList());
        }
        assertThat(eventLog.storedBytes(user)).isEqualTo(log.stream()
                .mapToLong(e -> EventLog.storedBytes(Base64Url.decode(e.encryptedPayload()).orElseThrow().length))
                .sum());
    }

    /** A deferred trigger: the user's inserts succeed, the commit then fails. */
    private void failCommitsOf(String userId) {
        jdbc.sql("CREATE TABLE IF NOT EXISTS failing_users (user_id uuid PRIMARY KEY)").update();
        jdbc.sql("INSERT INTO failing_users VALUES (:u)").param("u", UUID.fromString(userId)).update();
        jdbc.sql("""
                CREATE OR REPLACE FUNCTION fail_commit() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF EXISTS (SELECT 1 FROM failing_users WHERE user_id = NEW.user_id) THEN
                        RAISE EXCEPTION 'commit refused for the test';
                    END IF;
                    RETURN NULL;
                END $$""").update();
        jdbc.sql("CREATE CONSTRAINT TRIGGER fail_commit AFTER INSERT ON events DEFERRABLE INITIALLY DEFERRED "
                + "FOR EACH ROW EXECUTE FUNCTION fail_commit()").update();
    }

    private static ConsumerRecord<String, String> record(String key, String value) {
        return new ConsumerRecord<>(Topics.EVENTS_INBOUND, 0, OFFSETS.incrementAndGet(), key, value);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value());
    }

    private static AppendOutcome.Stored stored(AppendOutcome outcome) {
        assertThat(outcome).isInstanceOf(AppendOutcome.Stored.class);
        return (AppendOutcome.Stored) outcome;
    }

    private static RejectCode rejected(AppendOutcome outcome) {
        assertThat(outcome).isInstanceOf(AppendOutcome.Rejected.class);
        return ((AppendOutcome.Rejected) outcome).code();
    }

    private int rows(String userId) {
        return jdbc.sql("SELECT count(*) FROM events WHERE user_id = :u").param("u", UUID.fromString(userId))
                .query(Integer.class).single();
    }
}
