package dev.pocketbridge.event.analytics;

import java.time.Clock;
import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.InboundEvent;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.event.log.AppendOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@link OutcomeAnalytics} on {@code events.analytics}, through a producer of its own: its records
 * share neither the buffer nor the flush of the outcomes that acks wait for. Each record is handed
 * to the producer and not waited for; a record the producer refuses or loses is counted
 * ({@value #METRIC}, {@code result=failed}) and logged, never retried. Once the producer refuses one
 * record of a batch (no buffer room or no broker within max-block), the rest of that batch is counted
 * as failed without trying, so a batch waits at most one max-block on analytics.
 */
final class KafkaAnalytics implements OutcomeAnalytics, AutoCloseable {

    /** Counter of analytics records, tagged {@code result} = sent or failed. */
    static final String METRIC = "pocketbridge.analytics.records";

    private static final Logger log = LoggerFactory.getLogger(KafkaAnalytics.class);

    private final DefaultKafkaProducerFactory<String, String> producers;
    private final KafkaTemplate<String, String> kafka;
    private final AnalyticsRecords records;
    private final Clock clock;
    private final Counter sent;
    private final Counter failed;

    KafkaAnalytics(DefaultKafkaProducerFactory<String, String> producers, AnalyticsRecords records, Clock clock,
            MeterRegistry meters) {
        this.producers = producers;
        this.kafka = new KafkaTemplate<>(producers);
        this.records = records;
        this.clock = clock;
        this.sent = meters.counter(METRIC, "result", "sent");
        this.failed = meters.counter(METRIC, "result", "failed");
    }

    @Override
    public void record(List<InboundEvent> batch, List<AppendOutcome> outcomes) {
        long now = clock.millis();
        for (int i = 0; i < batch.size(); i++) {
            InboundEvent inbound = batch.get(i);
            try {
                String value = Json.write(records.of(inbound, outcomes.get(i), now));
                kafka.send(new ProducerRecord<>(Topics.EVENTS_ANALYTICS, records.key(inbound), value))
                        .whenComplete((result, error) -> counted(error));
            } catch (RuntimeException e) {
                // Refused at once (or after max-block): the producer has no room or no broker. The rest
                // of the batch would wait as long each, so it is given up, never the batch's progress.
                counted(e);
                failed.increment(batch.size() - i - 1.0);
                return;
            }
        }
    }

    private void counted(Throwable error) {
        if (error == null) {
            sent.increment();
        } else {
            failed.increment();
            log.warn("analytics record not produced: {}", error.toString());
        }
    }

    @Override
    public void close() {
        producers.destroy();
    }
}
