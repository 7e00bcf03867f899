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

/**
 * The records one consumed batch produces: sent without waiting on each, then flushed and awaited
 * once, so the caller returns (and its offsets are committed) only when every one is durable in
 * Kafka. Records of one key go to one partition in send order (the producer is idempotent), so
 * per-user order holds without a round trip per record. Not thread-safe: one per batch.
 */
public final class BatchSends {

    private final KafkaOperations<String, String> kafka;
    private final Duration timeout;
    private final List<CompletableFuture<?>> sends = new ArrayList<>();

    public BatchSends(KafkaOperations<String, String> kafka, Duration timeout) {
        this.kafka = kafka;
        this.timeout = timeout;
    }

    public void send(ProducerRecord<String, String> record) {
        sends.add(kafka.send(record));
    }

    /**
     * Sends an unprocessable record to {@code <topic>.dlt} (any partition: the dead-letter topic need
     * not have as many as the source), with the headers spring-kafka's own recoverer writes.
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
        send(new ProducerRecord<>(record.topic() + Topics.DEAD_LETTER_SUFFIX, null, record.key(), record.value(),
                headers));
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
