package dev.pocketbridge.event.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.Delivery;
import dev.pocketbridge.common.kafka.InboundEvent;
import dev.pocketbridge.common.kafka.StoredEvent;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.ServerFrame;
import dev.pocketbridge.event.EventServiceIntegrationTest;
import dev.pocketbridge.event.log.AppendOutcome;
import dev.pocketbridge.event.log.EventLog;
import dev.pocketbridge.event.log.LogProperties;
import io.micrometer.core.instrument.MeterRegistry;

class InboundEventIntegrationTest extends EventServiceIntegrationTest {

    @Autowired
    JdbcClient jdbc;
    @Autowired
    EventLog eventLog;
    @Autowired
    LogProperties logProperties;
    @Autowired
    MeterRegistry meters;

    @Test
    void seqIsGaplessPerUserAcrossStreamsAndStreamSeqPerStream() {
        Sender a = Sender.create(3);
        Sender b = a.otherDevice();
        List<StoredEvent> out = storeAll(a, List.of(a.event(1, "notes"), a.event(2, "clipboard"),
                b.event(1, "notes"), a.event(5, "notes"), b.event(2, "clipboard")));

        assertThat(out).extracting(StoredEvent::status).containsOnly("stored");
        assertThat(out).extracting(s -> s.event().seq()).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(out).extracting(s -> s.event().streamSeq()).containsExactly(1L, 1L, 2L, 3L, 2L);
        assertThat(out).extracting(s -> s.event().streamId())
                .containsExactly("notes", "clipboard", "notes", "notes", "clipboard");
        StoredEvent first = out.getFirst();
        assertThat(first.userId()).isEqualTo(a.userId());
        assertThat(first.origin()).isEqualTo(a.origin());
        assertThat(first.event().deviceId()).isEqualTo(a.deviceId());
        assertThat(first.event().encryptedPayload()).isEqualTo(a.event(first.event().eventId(), 1, "notes",
                null, null).event().encryptedPayload());
        assertThat(first.event().createdAt()).isPositive();
        assertThat(first.event().conflict()).isFalse();
    }

    /**
     * The W3C trace context of an inbound record goes on in its outcome, and nothing else of the
     * observation does: no baggage, no long-task timer (docs/tracing-and-logs.md).
     */
    @Test
    void theStoredOutcomeCarriesOnTheTraceOfItsInboundRecord() {
        Sender a = Sender.create(1);
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String parentSpanId = "00f067aa0ba902b7";
        ProducerRecord<String, String> inbound = new ProducerRecord<>(Topics.EVENTS_INBOUND, a.userId(),
                Json.write(a.event(1, "notes")));
        inbound.headers().add("traceparent", ("00-" + traceId + "-" + parentSpanId + "-01").getBytes(StandardCharsets.US_ASCII));
        inbound.headers().add("baggage", "tenant=acme".getBytes(StandardCharsets.US_ASCII));
        send(inbound);

        await().atMost(WAIT).until(() -> storedRecords(a.userId()).size() == 1);
        Header traceparent = storedRecords(a.userId()).getFirst().headers().lastHeader("traceparent");
        assertThat(traceparent).isNotNull();
        String[] parts = new String(traceparent.value(), StandardCharsets.US_ASCII).split("-");
        assertThat(parts[1]).as("the trace id").isEqualTo(traceId);
        assertThat(parts[2]).as("a span of event-service's").matches("[0-9a-f]{16}").isNotEqualTo(parentSpanId);
        assertThat(storedRecords(a.userId()).getFirst().headers().lastHeader("baggage")).as("baggage is not carried on").isNull();
        assertThat(meters.find("pocketbridge.kafka.record").timer()).as("the record's observation was timed").isNotNull();
        assertThat(meters.find("pocketbridge.kafka.record.active").meter()).as("no long-task timer per record").isNull();
    }

    @Test
    void twoInterleavedUsersNeverMix() {
        Sender a = Sender.create(1);
        Sender b = Sender.create(2);
        for (int i = 1; i <= 4; i++) {
            sendInbound(a.event(i, "s"));
            sendInbound(b.event(i, "s"));
        }
        List<StoredEvent> outA = awaitStored(a.userId(), 4);
        List<StoredEvent> outB = awaitStored(b.userId(), 4);
        assertThat(outA).extracting(s -> s.event().seq()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(outB).extracting(s -> s.event().seq()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(outA).extracting(s -> s.event().deviceId()).containsOnly(a.deviceId());
        assertThat(outB).extracting(s -> s.event().deviceId()).containsOnly(b.deviceId());
    }

    @Test
    void aResentEventAnswersDuplicateWithTheOriginalSeq() {
        Sender a = Sender.create(0);
        InboundEvent event = a.event(1, "s");
        // The same event_id, device_seq and content again, after newer events of the user.
        List<StoredEvent> out = storeAll(a, List.of(event, a.event(2, "other"), a.event(3, "s"), event));

        assertThat(out).extracting(StoredEvent::status).containsExactly("stored", "stored", "stored", "duplicate");
        assertThat(out.get(3).event()).isEqualTo(out.get(0).event());
        assertThat(out.get(3).event().seq()).isEqualTo(1);
        assertThat(out.get(3).origin()).isEqualTo(a.origin());
    }

    @Test
    void aRedeliveredRecordIsStoredOnceAndRepublishedAsDuplicate() {
        Sender a = Sender.create(4);
        InboundEvent event = a.event(1, "s");
        List<StoredEvent> out = storeAll(a, List.of(event, event));

        assertThat(out).extracting(StoredEvent::status).containsExactly("stored", "duplicate");
        assertThat(out.get(1).event().seq()).isEqualTo(out.get(0).event().seq());
        assertThat(rows(a.userId())).isEqualTo(1);
    }

    @Test
    void aCrashBetweenCommitAndPublishIsRepairedByTheRedelivery() {
        Sender a = Sender.create(4);
        InboundEvent event = a.event(1, "s");
        // The commit happened, the publish did not (the process died): nothing on events.stored yet.
        AppendOutcome committed = eventLog.append(event);
        assertThat(committed).isInstanceOf(AppendOutcome.Stored.class);
        assertThat(stored(a.userId())).isEmpty();

        List<StoredEvent> out = storeAll(a, List.of(event));

        assertThat(out).singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo("duplicate");
            assertThat(s.event()).isEqualTo(((AppendOutcome.Stored) committed).event());
        });
        assertThat(rows(a.userId())).isEqualTo(1);
    }

    @Test
    void aNonMonotonicDeviceSeqIsRejectedToTheOriginNodesPartition() {
        Sender a = Sender.create(7);
        storeAll(a, List.of(a.event(5, "s")));
        InboundEvent stale = a.event(5, "s");
        sendInbound(stale);

        ServerFrame.EventRejected rejected = awaitRejection(a, 7);
        assertThat(rejected.eventId()).isEqualTo(stale.event().eventId());
        assertThat(rejected.deviceSeq()).isEqualTo(5);
        assertThat(rejected.code()).isEqualTo("non_monotonic_device_seq");
        assertThat(rows(a.userId())).isEqualTo(1);
    }

    @Test
    void aReusedEventIdWithOtherContentIsAnEventIdConflict() {
        Sender a = Sender.create(11);
        InboundEvent original = a.event(1, "s");
        storeAll(a, List.of(original));
        sendInbound(a.event(original.event().eventId(), 2, "s", null, null));

        assertThat(awaitRejection(a, 11).code()).isEqualTo("event_id_conflict");
        assertThat(rows(a.userId())).isEqualTo(1);
    }

    @Test
    void anEventBasedOnAnOldStreamSeqIsStoredAndMarkedConflict() {
        Sender a = Sender.create(0);
        Sender b = a.otherDevice();
        storeAll(a, List.of(a.event(uuid(), 1, "doc", 0L, null), b.event(uuid(), 1, "doc", 1L, null)));
        // a last saw stream_seq 1, but b has moved the stream to 2 meanwhile.
        List<StoredEvent> out = storeAll(a, List.of(a.event(uuid(), 2, "doc", 1L, null),
                b.event(uuid(), 2, "doc", 3L, null)));

        assertThat(out).extracting(s -> s.event().conflict()).containsExactly(false, false, true, false);
        assertThat(out).extracting(s -> s.event().streamSeq()).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void anEventExpiredBeyondTheSkewIsRejectedAndOneWithinIsStored() {
        Sender a = Sender.create(5);
        long now = clock.millis();
        storeAll(a, List.of(a.event(uuid(), 1, "s", null, now - Duration.ofMinutes(4).toMillis())));
        sendInbound(a.event(uuid(), 2, "s", null, now - Duration.ofMinutes(6).toMillis()));

        assertThat(awaitRejection(a, 5).code()).isEqualTo("expired");
        assertThat(rows(a.userId())).isEqualTo(1);
    }

    @Test
    void anInvalidEventIsRejected() {
        Sender a = Sender.create(2);
        InboundEvent bad = InboundEvent.of(a.userId(), a.deviceId(), a.origin(), 0L,
                new ClientFrame.SendEvent(uuid(), 1L, "bad stream!", "note", "AAAA", null, null));
        sendInbound(bad);

        assertThat(awaitRejection(a, 2).code()).isEqualTo("invalid_event");
        assertThat(rows(a.userId())).isZero();
    }

    @Test
    void unreadableJsonGoesToTheDeadLetterTopicWithoutStoppingTheUser() {
        Sender a = Sender.create(0);
        send(Topics.EVENTS_INBOUND, a.userId(), "{not json");
        List<StoredEvent> out = storeAll(a, List.of(a.event(1, "s")));

        await().atMost(WAIT).until(() -> !deadLetters(a.userId()).isEmpty());
        assertThat(deadLetters(a.userId()).getFirst().value()).isEqualTo("{not json");
        assertThat(out).extracting(StoredEvent::status).containsExactly("stored");
    }

    @Test
    void anEventBeyondTheUsersQuotaIsRejectedQuotaExceededAndNotStored() {
        Sender a = Sender.create(5);
        // The user has stored all but 100 bytes of the quota: no event fits any more.
        jdbc.sql("INSERT INTO user_logs (user_id, head_seq, appended_bytes) VALUES (:u, 0, :b)")
                .param("u", UUID.fromString(a.userId())).param("b", logProperties.quotaBytes() - 100).update();
        InboundEvent event = a.event(1, "s");

        sendInbound(event);

        ServerFrame.EventRejected rejected = awaitRejection(a, 5);
        assertThat(rejected.code()).isEqualTo("quota_exceeded");
        assertThat(rejected.eventId()).isEqualTo(event.event().eventId());
        assertThat(rejected.deviceSeq()).isEqualTo(1);
        assertThat(rows(a.userId())).isZero();
        assertThat(stored(a.userId())).isEmpty();
        assertThat(eventLog.storedBytes(UUID.fromString(a.userId()))).isEqualTo(logProperties.quotaBytes() - 100);
    }

    private static ServerFrame.EventRejected awaitRejection(Sender sender, int node) {
        await().atMost(WAIT).until(() -> !deliveries(sender.userId()).isEmpty());
        ConsumerRecord<String, String> record = deliveries(sender.userId()).getFirst();
        assertThat(record.partition()).isEqualTo(node);
        Delivery.Outcome delivery = (Delivery.Outcome) delivery(record);
        assertThat(delivery.nodeId()).isEqualTo(node);
        assertThat(delivery.sessionId()).isEqualTo(sender.origin().sessionId());
        assertThat(delivery.frame()).isInstanceOf(ServerFrame.EventRejected.class);
        return (ServerFrame.EventRejected) delivery.frame();
    }

    private int rows(String userId) {
        return jdbc.sql("SELECT count(*) FROM events WHERE user_id = :u").param("u", UUID.fromString(userId))
                .query(Integer.class).single();
    }
}
