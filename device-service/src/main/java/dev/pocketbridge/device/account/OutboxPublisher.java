package dev.pocketbridge.device.account;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.pocketbridge.common.kafka.Topics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;

/**
 * Moves committed account changes from the outbox to Kafka, oldest first, and deletes each once the
 * broker acknowledged it: at least once, in commit order per user. Each record carries its outbox id
 * as {@link Topics#CHANGE_ID_HEADER}: every change to a user's devices holds the user's lock while it
 * writes the outbox, so for any one device the ids grow in commit order, and a reader can tell a
 * resent or older record from a newer one. It deletes exactly the rows it sent: ids are taken when
 * a change is written, not when it commits, so a change may become visible after one with a larger
 * id was already sent, and is sent in the next batch. It runs right after each change
 * commits ({@link #nudge()}) and every {@code outbox.interval}, which retries whatever a broker
 * outage left behind. One instance publishes at a time (a transaction-scoped advisory lock), so
 * several device-service instances never interleave one user's changes.
 */
@Component
class OutboxPublisher implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(OutboxPublisher.class);
    /** The advisory lock key of the outbox ("pb-outbx" as a number). */
    private static final long LOCK_KEY = 0x70622d6f7574627L;
    private static final int BATCH = 500;

    private final JdbcClient jdbc;
    private final KafkaTemplate<String, String> kafka;
    private final TransactionTemplate transaction;
    private final AccountProperties properties;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "account-outbox");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean queued = new AtomicBoolean();

    OutboxPublisher(JdbcClient jdbc, KafkaTemplate<String, String> kafka, TransactionTemplate transaction,
            AccountProperties properties, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.kafka = kafka;
        this.transaction = transaction;
        this.properties = properties;
        Gauge.builder("device.outbox.pending", this, OutboxPublisher::pending)
                .description("Account changes committed and not yet acknowledged by Kafka").register(registry);
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::nudge, properties.outboxInterval());
    }

    /** Publishes soon, on the outbox thread; a nudge while one is queued adds nothing. */
    void nudge() {
        if (queued.compareAndSet(false, true)) {
            try {
                worker.execute(() -> {
                    queued.set(false);
                    publishPending();
                });
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                queued.set(false);
            }
        }
    }

    /** @return how many changes were published */
    int publishPending() {
        int total = 0;
        try {
            int published;
            do {
                published = transaction.execute(status -> publishBatch());
                total += published;
            } while (published == BATCH);
        } catch (RuntimeException e) {
            log.warn("account changes not published yet, retrying in {}: {}", properties.outboxInterval(),
                    e.toString());
        }
        return total;
    }

    private int publishBatch() {
        Boolean locked = jdbc.sql("SELECT pg_try_advisory_xact_lock(?)").param(LOCK_KEY).query(Boolean.class)
                .single();
        if (!Boolean.TRUE.equals(locked)) {
            return 0;
        }
        List<Row> rows = jdbc.sql("SELECT id, topic, record_key, payload FROM account_changes_outbox ORDER BY id LIMIT ?")
                .param(BATCH)
                .query((rs, n) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .list();
        if (rows.isEmpty()) {
            return 0;
        }
        List<CompletableFuture<?>> sends = new ArrayList<>(rows.size());
        for (Row row : rows) {
            ProducerRecord<String, String> record = new ProducerRecord<>(row.topic(), row.key(), row.payload());
            record.headers().add(Topics.CHANGE_ID_HEADER, Long.toString(row.id()).getBytes(StandardCharsets.US_ASCII));
            sends.add(kafka.send(record));
        }
        kafka.flush();
        Duration timeout = properties.sendTimeout();
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(timeout.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing account changes", e);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka did not take the account changes", e);
        }
        // Exactly the rows sent: a change whose transaction took a smaller id but committed only while
        // this batch was out is not among them, and must stay for the next batch.
        jdbc.sql("DELETE FROM account_changes_outbox WHERE id = ANY(?)")
                .param(rows.stream().map(Row::id).toArray(Long[]::new)).update();
        log.debug("published {} account changes", rows.size());
        return rows.size();
    }

    private double pending() {
        try {
            return jdbc.sql("SELECT count(*) FROM account_changes_outbox").query(Long.class).single();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    @PreDestroy
    void stop() {
        worker.shutdown();
    }

    private record Row(long id, String topic, String key, String payload) {
    }
}
