package dev.pocketbridge.event.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.AnalyticsEvent;
import dev.pocketbridge.common.kafka.InboundEvent;
import dev.pocketbridge.common.kafka.StoredEvent;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.event.EventServiceIntegrationTest;
import dev.pocketbridge.testsupport.SharedKafka;
import tools.jackson.databind.JsonNode;

/**
 * {@code events.analytics}: one record per outcome, with pseudonyms this test recomputes from the
 * key by the documented rule (docs/analytics.md), sizes and times, and nothing that names the user,
 * the device or the event, nor the payload.
 */
class AnalyticsIntegrationTest extends EventServiceIntegrationTest {

    private static final Set<String> MEMBERS = Set.of("schema_version", "outcome", "reject_code", "user_pseudonym",
            "device_pseudonym", "device_type", "stream_pseudonym", "event_pseudonym", "event_type", "payload_bytes",
            "received_at", "stored_at", "decided_at");

    @Test
    void anAcceptedEventGivesOneRecordWithItsPseudonymsSizeAndTimes() {
        Sender a = Sender.create(2);
        byte[] payload = new byte[1000];
        InboundEvent event = inbound(a, 1, "journal.alice", payload);
        StoredEvent stored = storeAll(a, List.of(event)).getFirst();

        ConsumerRecord<String, String> record = awaitOnlyRecord(a);

        AnalyticsEvent analytics = Json.read(record.value(), AnalyticsEvent.class);
        assertThat(record.key()).isEqualTo(pseudonym("user:" + a.userId()));
        assertThat(analytics.schemaVersion()).isEqualTo(1);
        assertThat(analytics.outcome()).isEqualTo("stored");
        assertThat(analytics.rejectCode()).isNull();
        assertThat(analytics.userPseudonym()).isEqualTo(record.key()).hasSize(22);
        assertThat(analytics.devicePseudonym()).isEqualTo(pseudonym("device:" + a.deviceId()));
        assertThat(analytics.streamPseudonym()).isEqualTo(pseudonym("stream:" + a.userId() + ":journal.alice"));
        assertThat(analytics.eventPseudonym()).isEqualTo(pseudonym("event:" + event.event().eventId()));
        assertThat(analytics.deviceType()).isEqualTo("desktop");
        assertThat(analytics.eventType()).isEqualTo("note.v1");
        assertThat(analytics.payloadBytes()).isEqualTo(1000L);
        assertThat(analytics.receivedAt()).isEqualTo(event.receivedAt());
        assertThat(analytics.storedAt()).isEqualTo(stored.event().createdAt());
        assertThat(analytics.decidedAt()).isEqualTo(clock.millis());
        assertCarriesNothingPersonal(record, event);
    }

    @Test
    void aRejectedEventGivesOneRecordWithItsCodeAndNoStoredTime() {
        Sender a = Sender.create(0);
        storeAll(a, List.of(inbound(a, 5, "clipboard.bob", new byte[3])));
        awaitOnlyRecord(a);
        // device_seq 5 again under a new event_id: non_monotonic_device_seq.
        InboundEvent rejected = inbound(a, 5, "clipboard.bob", new byte[40]);
        sendInbound(rejected);

        await().atMost(WAIT).until(() -> analytics(pseudonym("user:" + a.userId())).size() >= 2);
        await().during(Duration.ofMillis(500)).atMost(WAIT)
                .until(() -> analytics(pseudonym("user:" + a.userId())).size() == 2);
        ConsumerRecord<String, String> record = analytics(pseudonym("user:" + a.userId())).getLast();
        AnalyticsEvent analytics = Json.read(record.value(), AnalyticsEvent.class);
        assertThat(analytics.outcome()).isEqualTo("rejected");
        assertThat(analytics.rejectCode()).isEqualTo("non_monotonic_device_seq");
        assertThat(analytics.eventPseudonym()).isEqualTo(pseudonym("event:" + rejected.event().eventId()));
        assertThat(analytics.devicePseudonym()).isEqualTo(pseudonym("device:" + a.deviceId()));
        assertThat(analytics.payloadBytes()).isEqualTo(40L);
        assertThat(analytics.storedAt()).isNull();
        assertThat(analytics.receivedAt()).isEqualTo(rejected.receivedAt());
        assertCarriesNothingPersonal(record, rejected);
    }

    @Test
    void theTopicIsDeclaredWithItsPartitionsAndRetention() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedKafka.bootstrapServers()))) {
            assertThat(admin.describeTopics(List.of(Topics.EVENTS_ANALYTICS)).allTopicNames().get()
                    .get(Topics.EVENTS_ANALYTICS).partitions()).hasSize(12);
            Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC,
                    Topics.EVENTS_ANALYTICS))).all().get().values().iterator().next();
            assertThat(config.get("retention.ms").value()).isEqualTo(Long.toString(Duration.ofDays(30).toMillis()));
            assertThat(config.get("retention.bytes").value()).isEqualTo(Long.toString(1L << 30));
            assertThat(config.get("cleanup.policy").value()).isEqualTo("delete");
        }
    }

    private static InboundEvent inbound(Sender sender, long deviceSeq, String streamId, byte[] payload) {
        return InboundEvent.of(sender.userId(), sender.deviceId(), "desktop", sender.origin(),
                System.currentTimeMillis() - 7, new ClientFrame.SendEvent(uuid(), deviceSeq, streamId, "note.v1",
                        Base64Url.encode(payload), null, null));
    }

    /** Waits for the user's one analytics record, and that no second one follows. */
    private static ConsumerRecord<String, String> awaitOnlyRecord(Sender sender) {
        String key = pseudonym("user:" + sender.userId());
        await().atMost(WAIT).until(() -> !analytics(key).isEmpty());
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> analytics(key).size() == 1);
        return analytics(key).getFirst();
    }

    private static void assertCarriesNothingPersonal(ConsumerRecord<String, String> record, InboundEvent event) {
        JsonNode json = Json.mapper().readTree(record.value());
        assertThat(json.propertyNames()).isSubsetOf(MEMBERS);
        assertThat(record.value()).doesNotContain(event.userId(), event.deviceId(), event.event().eventId(),
                event.event().streamId(), event.event().encryptedPayload(), "encrypted_payload",
                event.origin().sessionId());
    }

    /** The documented rule, computed here independently: base64url(HMAC-SHA256(key, input)), first 22 characters. */
    private static String pseudonym(String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getUrlDecoder().decode(ANALYTICS_KEY), "HmacSHA256"));
            byte[] digest = mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
