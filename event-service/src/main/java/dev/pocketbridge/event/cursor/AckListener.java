package dev.pocketbridge.event.cursor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.ids.Uuids;
import dev.pocketbridge.common.kafka.DeviceAck;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.event.ingest.IngestProperties;
import dev.pocketbridge.event.ingest.KafkaConfiguration;
import dev.pocketbridge.event.log.MalformedInboundException;
import dev.pocketbridge.kafka.BatchSends;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Consumes {@code acks} a poll at a time: acknowledgements are cumulative, so a batch comes down to
 * the highest {@code seq} per device, written in one transaction (idempotent, so at least once is
 * fine). Unreadable records are dead-lettered in place.
 */
@Component
class AckListener {

    private final DeviceCursors cursors;
    private final KafkaTemplate<String, String> kafka;
    private final IngestProperties properties;
    private final MeterRegistry meters;

    AckListener(DeviceCursors cursors, KafkaTemplate<String, String> kafka, IngestProperties properties,
            MeterRegistry meters) {
        this.cursors = cursors;
        this.kafka = kafka;
        this.properties = properties;
        this.meters = meters;
    }

    @KafkaListener(id = "event-service-acks", idIsGroup = false, topics = Topics.ACKS,
            properties = {"group.instance.id=${pocketbridge.kafka.instance-id}-acks",
                    // A cursor need not move within milliseconds (the gateway coalesces a device's acks for a second):
                    // a fetch answered once 64 KiB wait or after a second takes bigger batches under load, in fewer
                    // transactions and fetches, instead of one per few records (docs/performance.md)
                    "fetch.min.bytes=65536", "fetch.max.wait.ms=1000"})
    void onAcks(List<ConsumerRecord<String, String>> records) {
        BatchSends deadLetters = new BatchSends(kafka, properties.publishTimeout(), meters);
        Map<DeviceCursors.Device, Long> highest = new LinkedHashMap<>();
        KafkaConfiguration.UNPROCESSABLE.readEach(records, deadLetters, record -> read(record.value()))
                .forEach(ack -> highest.merge(ack.device(), ack.seq(), Math::max));
        if (!highest.isEmpty()) {
            cursors.ackAll(highest);
        }
        deadLetters.await();
    }

    /** An ack with its ids checked. */
    private record Ack(DeviceCursors.Device device, long seq) {
    }

    private static Ack read(String value) {
        DeviceAck ack = value == null ? null : Json.read(value, DeviceAck.class);
        if (ack == null) {
            throw new MalformedInboundException("record without an ack");
        }
        return new Ack(new DeviceCursors.Device(uuid(ack.userId(), "user_id"), uuid(ack.deviceId(), "device_id")),
                ack.seq());
    }

    private static UUID uuid(String text, String field) {
        return Uuids.parse(text).orElseThrow(() -> new MalformedInboundException(field + " is not a canonical UUID"));
    }
}
