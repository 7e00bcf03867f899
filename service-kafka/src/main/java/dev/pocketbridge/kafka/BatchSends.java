package dev.pocketbridge.kafka;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.support.KafkaHeaders;

import dev.pocketbridge.common.kafka.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The records one consumed batch produces: sent without waiting on each, then flushed and awaited
 * once, so the caller returns (and its offsets are committed) only when every one is durable in
 * Kafka. Records of one key go to one partition in send order (the producer is idempotent), so
 * per-user order holds without a round trip per record. Not thread-safe: one per batch.
 */
public final class BatchSends {

    /** Records sent to a dead-letter topic, by {@code topic}. */
    public static final String DEAD_LETTERS_METRIC = "pocketbridge.kafka.dead_letter.records";

    private final KafkaOperations<String, String> kafka;
    private final Duration timeout;
    private final MeterRegistry meters;
    private final List<CompletableFuture<?>> sends = new ArrayList<>();

    /** @param meters where the records sent to dead-letter topics are counted ({@value #DEAD_LETTERS_METRIC}) */
    public BatchSends(KafkaOperations<String, String> kafka, Duration timeout, MeterRegistry meters) {
        this.kafka = kafka;
        this.timeout = timeout;
        this.meters = meters;
    }

    public void send(ProducerRecord<String, String> record) {
        sends.add(kafka.send(record));
    }

    /**
     * Sends an unprocessable record to {@code <topic>.dlt} (any partition: the dead-letter topic need
     * not have as many as the source), with the headers spring-kafka's own recoverer writes; counted
     * in {@value #DEAD_LETTERS_METRIC} once the broker has it.
     */
    public void deadLetter(ConsumerRecord<String, String> record, Throwable cause) {
        Headers headers = new RecordHeaders();
        headers.add(KafkaHeaders.DLT_ORIGINAL_TOPIC, bytes(record.topic()));
        headers.add(KafkaHeaders.DLT_ORIGINAL_PARTITION, intBytes(record.partition()));
        headers.add(KafkaHeaders.DLT_ORIGINAL_OFFSET, longBytes(record.offset()));
        headers.add(KafkaHeaders.DLT_ORIGINAL_TIMESTAMP, longBytes(record.timestamp()));
        headers.add(KafkaHeaders.DLT_EXCEPTION_FQCN, bytes(cause.getClass().getName()));
        headers.add(KafkaHeaders.DLT_EXCEPTION_MESSAGE, bytes(String.valueOf(cause.getMessage())));
        StringWriter trace = new StringWriter();
        cause.printStackTrace(new PrintWriter(trace));
        headers.add(KafkaHeaders.DLT_EXCEPTION_STACKTRACE, bytes(trace.toString()));
        String topic = record.topic() + Topics.DEAD_LETTER_SUFFIX;
        CompletableFuture<?> sent = kafka.send(new ProducerRecord<>(topic, null, record.key(), record.value(), headers));
        sends.add(sent.thenRun(() -> Counter.builder(DEAD_LETTERS_METRIC).tag("topic", topic)
                .description("Records sent to a dead-letter topic").register(meters).increment()));
    }

    /** Flushes the producer and waits for every send; throws {@link SendFailedException} if one failed. */
    public void await() {
        if (sends.isEmpty()) {
            return;
        }
        kafka.flush();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (CompletableFuture<?> send : sends) {
                send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SendFailedException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new SendFailedException(e);
        }
    }

    public int size() {
        return sends.size();
    }

    /** A record of the batch did not reach the broker in time; the whole batch is retried. */
    public static class SendFailedException extends RuntimeException {

        SendFailedException(Throwable cause) {
            super("producing a batch's records failed", cause);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] intBytes(int v) {
        return ByteBuffer.allocate(Integer.BYTES).putInt(v).array();
    }

    private static byte[] longBytes(long v) {
        return ByteBuffer.allocate(Long.BYTES).putLong(v).array();
    }
}
