package dev.pocketbridge.event.analytics;

import java.time.Clock;
import java.time.Duration;
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
 * ({@value #METRIC}, {@code result=failed}) and logged, never retried. After a failure the records
 * of the next {@link #PAUSE} are dropped without trying ({@code result=skipped}): a producer without
 * a broker or buffer room makes each send wait max-block, and a batch must not wait that per record.
 */
final class KafkaAnalytics implements OutcomeAnalytics, AutoCloseable {

    /** Counter of analytics records, tagged {@code result} = sent or failed. */
    static final String METRIC = "pocketbridge.analytics.records";
    /** How long after a failed record nothing is tried. */
    static final Duration PAUSE = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(KafkaAnalytics.class);

    private final DefaultKafkaProducerFactory<String, String> producers;
    private final KafkaTemplate<String, String> kafka;
    private final AnalyticsRecords records;
    private final Clock clock;
    private final Counter sent;
    private final Counter failed;
    private final Counter skipped;
    /** Until when ({@link Clock#millis()}) records are skipped, after a failure. */
    private volatile long pausedUntil;

    KafkaAnalytics(DefaultKafkaProducerFactory<String, String> producers, AnalyticsRecords records, Clock clock,
            MeterRegistry meters) {
        this.producers = producers;
        this.kafka = new KafkaTemplate<>(producers);
        this.records = records;
        this.clock = clock;
        this.sent = meters.counter(METRIC, "result", "sent");
        this.failed = meters.counter(METRIC, "result", "failed");
        this.skipped = meters.counter(METRIC, "result", "skipped");
    }

    @Override
    public void record(List<InboundEvent> batch, List<AppendOutcome> outcomes) {
        long now = clock.millis();
        for (int i = 0; i < batch.size(); i++) {
            if (clock.millis() < pausedUntil) {
                skipped.increment(batch.size() - i);
                return;
            }
            InboundEvent inbound = batch.get(i);
            try {
                String value = Json.write(records.of(inbound, outcomes.get(i), now));
                // A send refused at once (no metadata or no room within max-block) completes here, in
                // this thread, so the pause it starts already holds for the next record.
                kafka.send(new ProducerRecord<>(Topics.EVENTS_ANALYTICS, records.key(inbound), value))
                        .whenComplete((result, error) -> counted(error));
            } catch (RuntimeException e) {
                counted(e);
            }
        }
    }

    private void counted(Throwable error) {
        if (error == null) {
            sent.increment();
            return;
        }
        failed.increment();
        boolean pausing = clock.millis() >= pausedUntil;
        pausedUntil = clock.millis() + PAUSE.toMillis();
        if (pausing) {
            log.warn("analytics record not produced, none tried for {}: {}", PAUSE, error.toString());
        }
    }

    @Override
    public void close() {
        producers.destroy();
    }
}
