package dev.pocketbridge.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.InboundEvent;
import dev.pocketbridge.common.kafka.Origin;
import dev.pocketbridge.common.protocol.ClientFrame;

class InboundEventTest {

    @Test
    void carriesTheDevicesEventFrameWholeUnderSchemaVersion2() {
        ClientFrame.SendEvent frame = new ClientFrame.SendEvent("0b8c2f4e-8a55-4c57-9d2b-5a1a4c3f7e10", 7L, "notes",
                "note.v1", "AQID", 1_700_000_000_000L, 3L);
        InboundEvent inbound = InboundEvent.of("5f0e9c1a-0d7b-4c8e-a7d4-2b9f6e3c1a28",
                "7a1e9c1a-0d7b-4c8e-a7d4-2b9f6e3c1a28", new Origin(1, "s"), 42, frame);

        String json = Json.write(inbound);

        assertThat(json).contains("\"schema_version\":2").contains("\"event\":{\"type\":\"event\"")
                .contains("\"base_stream_seq\":3");
        assertThat(Json.read(json, InboundEvent.class)).isEqualTo(inbound);
        assertThat(Json.read(json, InboundEvent.class).event()).isEqualTo(frame);
    }
}
