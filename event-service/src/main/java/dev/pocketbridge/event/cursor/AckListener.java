package dev.pocketbridge.event.cursor;

import java.util.UUID;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.ids.Uuids;
import dev.pocketbridge.common.kafka.DeviceAck;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.event.log.MalformedInboundException;

/** Consumes {@code acks}: each device's cumulative acknowledgement moves its cursor (idempotent, so at least once is fine). */
@Component
class AckListener {

    private final DeviceCursors cursors;

    AckListener(DeviceCursors cursors) {
        this.cursors = cursors;
    }

    @KafkaListener(id = "event-service-acks", idIsGroup = false, topics = Topics.ACKS)
    void onAck(String value) {
        DeviceAck ack = value == null ? null : Json.read(value, DeviceAck.class);
        if (ack == null) {
            throw new MalformedInboundException("record without an ack");
        }
        UUID userId = Uuids.parse(ack.userId())
                .orElseThrow(() -> new MalformedInboundException("user_id is not a canonical UUID"));
        UUID deviceId = Uuids.parse(ack.deviceId())
                .orElseThrow(() -> new MalformedInboundException("device_id is not a canonical UUID"));
        cursors.ack(userId, deviceId, ack.seq());
    }
}
