package dev.pocketbridge.event.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.crypto.Pseudonyms;
import dev.pocketbridge.common.kafka.InboundEvent;
import dev.pocketbridge.common.kafka.Origin;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.RejectCode;
import dev.pocketbridge.event.log.AppendOutcome;
import dev.pocketbridge.testsupport.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class KafkaAnalyticsTest {

    @Test
    void afterAFailedRecordTheRestOfTheBatchAndTheNextFiveSecondsAreSkippedNotTried() {
        // Nothing listens on port 1: the first send waits max.block.ms for metadata and is refused.
        DefaultKafkaProducerFactory<String, String> producers = new DefaultKafkaProducerFactory<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 200,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        TestClock clock = new TestClock();
        Pseudonyms pseudonyms = Pseudonyms.fromBase64Url(Base64Url.encode(new byte[32]));
        try (KafkaAnalytics analytics = new KafkaAnalytics(producers, new AnalyticsRecords(pseudonyms),
                clock, meters)) {
            int size = 20;
            InboundEvent event = InboundEvent.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(), "mobile",
                    new Origin(0, "s"), 0L, new ClientFrame.SendEvent(UUID.randomUUID().toString(), 1L, "notes",
                            "note", Base64Url.encode(new byte[10]), null, null));
            List<InboundEvent> batch = Collections.nCopies(size, event);
            List<AppendOutcome> outcomes = Collections.nCopies(size,
                    new AppendOutcome.Rejected(RejectCode.INVALID_EVENT, "test"));

            analytics.record(batch, outcomes);

            // The first record waited max-block and failed; the rest were not tried.
            assertThat(count(meters, "failed")).isEqualTo(1);
            assertThat(count(meters, "skipped")).isEqualTo(size - 1);
            assertThat(count(meters, "sent")).isZero();

            clock.advance(KafkaAnalytics.PAUSE.plusMillis(1));
            analytics.record(batch, outcomes);
            assertThat(count(meters, "failed")).as("tried again after the pause").isEqualTo(2);
            assertThat(count(meters, "skipped")).isEqualTo(2 * (size - 1));
        }
    }

    private static double count(SimpleMeterRegistry meters, String result) {
        return meters.counter(KafkaAnalytics.METRIC, "result", result).count();
    }
}
