package dev.pocketbridge.kafka;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.MDC;
import org.springframework.kafka.support.micrometer.KafkaListenerObservation;
import org.springframework.kafka.support.micrometer.KafkaRecordReceiverContext;

import dev.pocketbridge.common.ids.LogIds;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * The trace of each record of a batch listener. spring-kafka observes a record listener's records
 * itself ({@code spring.kafka.listener.observation-enabled}) but not a batch listener's, whose one
 * call handles many records of many traces. Here every record gets the observation spring-kafka
 * would give it (its {@code <topic> process} span, continuing the trace of the W3C
 * {@code traceparent} in its headers), and the listener runs each record's own work
 * {@link Batch#within within} that record's observation: the records it produces there (through a
 * {@code KafkaTemplate} with observation enabled) carry the same trace on, and its log lines carry
 * the trace id and the record's user ({@link LogIds#USER_ID}, from the key: every topic read this
 * way is keyed by {@code user_id}). A bean of every service ({@link ServiceKafkaAutoConfiguration}).
 */
public final class RecordObservations {

    /** The span attribute that names the event a span handles, in every service of the event's path. */
    public static final String EVENT_ID = "pocketbridge.event_id";

    /** The name of the per-record observations' timer ({@code pocketbridge_kafka_record_seconds}). */
    static final String RECORD_METRIC = "pocketbridge.kafka.record";

    /**
     * spring-kafka's listener convention (span names {@code <topic> process}, its tags) under a name
     * of its own: a batch container keeps its own {@code spring.kafka.listener} timer with other tags,
     * and Prometheus refuses two meters of one name with different tag keys.
     */
    private static final KafkaListenerObservation.DefaultKafkaListenerObservationConvention RECORD_CONVENTION =
            new KafkaListenerObservation.DefaultKafkaListenerObservationConvention() {
                @Override
                public String getName() {
                    return RECORD_METRIC;
                }
            };

    private final ObservationRegistry registry;

    public RecordObservations(ObservationRegistry registry) {
        this.registry = registry;
    }

    /**
     * Runs {@code work} over one batch: every record's observation is started before it and stopped
     * after it, marked failed when {@code work} throws (the exception is rethrown).
     */
    public void observe(List<? extends ConsumerRecord<?, ?>> records, String listenerId, Consumer<Batch> work) {
        Batch batch = new Batch(records, listenerId);
        try {
            work.accept(batch);
        } catch (RuntimeException | Error e) {
            batch.all.forEach(o -> o.error(e));
            throw e;
        } finally {
            batch.all.forEach(Observation::stop);
        }
    }

    /** The observations of one batch's records. Not thread-safe: used by the listener's thread. */
    public final class Batch {

        private final Map<ConsumerRecord<?, ?>, Observation> byRecord = new IdentityHashMap<>();
        private final List<Observation> all;

        private Batch(List<? extends ConsumerRecord<?, ?>> records, String listenerId) {
            this.all = new ArrayList<>(records.size());
            for (ConsumerRecord<?, ?> record : records) {
                Observation observation = KafkaListenerObservation.LISTENER_OBSERVATION.observation(null, RECORD_CONVENTION,
                        () -> new KafkaRecordReceiverContext(record, listenerId, null, null, () -> null), registry)
                        .start();
                byRecord.put(record, observation);
                all.add(observation);
            }
        }

        /** Runs {@code work} with {@code record}'s observation current (its trace and user in the logging context). */
        public void within(ConsumerRecord<?, ?> record, Runnable work) {
            within(record, () -> {
                work.run();
                return null;
            });
        }

        /** Like {@link #within(ConsumerRecord, Runnable)}, returning what {@code work} returns. */
        public <T> T within(ConsumerRecord<?, ?> record, Supplier<T> work) {
            Observation observation = byRecord.get(record);
            if (observation == null) {
                throw new IllegalArgumentException("not a record of this batch: " + record);
            }
            String user = record.key() instanceof String key ? LogIds.shorten(key) : null;
            try (Observation.Scope scope = observation.openScope()) {
                if (user != null) {
                    MDC.put(LogIds.USER_ID, user);
                }
                return work.get();
            } finally {
                MDC.remove(LogIds.USER_ID);
            }
        }

        /** Adds a high-cardinality key value (a span attribute) to {@code record}'s observation. */
        public void tag(ConsumerRecord<?, ?> record, String key, String value) {
            Observation observation = byRecord.get(record);
            if (observation != null && value != null) {
                observation.highCardinalityKeyValue(key, value);
            }
        }

        /**
         * Runs {@code work}, done once for the whole batch (a database transaction over all its
         * records), as a step of every record's trace: an observation {@code name} in each of
         * them, all started before and stopped after it.
         */
        public <T> T step(String name, Supplier<T> work) {
            List<Observation> steps = new ArrayList<>(all.size());
            for (Observation parent : all) {
                steps.add(Observation.createNotStarted(name, registry).parentObservation(parent)
                        .highCardinalityKeyValue("pocketbridge.batch.size", Integer.toString(all.size())).start());
            }
            try {
                return work.get();
            } catch (RuntimeException | Error e) {
                steps.forEach(o -> o.error(e));
                throw e;
            } finally {
                steps.forEach(Observation::stop);
            }
        }
    }
}
