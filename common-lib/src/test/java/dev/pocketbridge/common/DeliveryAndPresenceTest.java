package dev.pocketbridge.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.kafka.Delivery;
import dev.pocketbridge.common.kafka.Presence;
import dev.pocketbridge.common.kafka.Topics;
import dev.pocketbridge.common.protocol.CloseCodes;
import dev.pocketbridge.common.protocol.ServerFrame;
import tools.jackson.core.JacksonException;

/** The {@code deliveries} and {@code presence} payloads on the wire (docs/asyncapi.yaml). */
class DeliveryAndPresenceTest {

    private static final String USER = "0b8c2f4e-8a55-4c57-9d2b-5a1a4c3f7e10";
    private static final String DEVICE = "5f0e9c1a-0d7b-4c8e-a7d4-2b9f6e3c1a28";
    private static final String SESSION = "9a3d1c7e-2b4f-4e6a-8c0d-1e5f7a9b3c2d";
    private static final ServerFrame.DeliveredEvent EVENT = new ServerFrame.DeliveredEvent(7, "e", DEVICE, 2,
            "notes", 3, "note.created", "AAEC", null, 1_700_000_000_000L, false);

    @Test
    void eachDeliveryIsWrittenWithItsKindAndReadBackAsItself() {
        Delivery outcome = new Delivery.Outcome(3, USER, SESSION,
                new ServerFrame.EventAck("e", 2, 7, 3, ServerFrame.EventAck.STORED, false));
        Delivery live = new Delivery.LiveEvent(3, USER, List.of(DEVICE), EVENT);
        Delivery close = new Delivery.CloseSession(3, USER, SESSION, CloseCodes.SUPERSEDED);
        for (Delivery delivery : List.of(outcome, live, close)) {
            String json = Json.write(delivery);
            assertThat(Json.read(json, Delivery.class)).isEqualTo(delivery);
            assertThat(json).contains("\"schema_version\":2", "\"node_id\":3", "\"user_id\":\"" + USER + "\"");
        }
        assertThat(Json.write(outcome)).startsWith("{\"kind\":\"outcome\"")
                .contains("\"session_id\":\"" + SESSION + "\"", "\"frame\":{\"type\":\"event_ack\"");
        assertThat(Json.write(live)).startsWith("{\"kind\":\"live_event\"")
                .contains("\"device_ids\":[\"" + DEVICE + "\"]", "\"event\":{\"type\":\"event\",\"seq\":7");
        assertThat(Json.write(close)).startsWith("{\"kind\":\"close_session\"").contains("\"close_code\":4409");
    }

    @Test
    void eachPresenceRecordIsWrittenWithItsKindAndReadBackAsItself() {
        Presence started = new Presence.NodeStarted(2, 1_700_000_000_000L, 1_700_000_000_005L);
        Presence.SessionOpened opened = new Presence.SessionOpened(2, 1_700_000_000_000L, USER, DEVICE, SESSION,
                1_700_000_000_010L);
        Presence closed = opened.closed(1_700_000_000_020L);
        for (Presence presence : List.of(started, opened, closed)) {
            String json = Json.write(presence);
            assertThat(Json.read(json, Presence.class)).isEqualTo(presence);
            assertThat(json).contains("\"schema_version\":2", "\"node_id\":2", "\"epoch\":1700000000000");
        }
        assertThat(Json.write(started)).startsWith("{\"kind\":\"node_started\"").doesNotContain("user_id");
        assertThat(Json.write(opened)).startsWith("{\"kind\":\"session_opened\"")
                .contains("\"user_id\":\"" + USER + "\"", "\"device_id\":\"" + DEVICE + "\"",
                        "\"session_id\":\"" + SESSION + "\"", "\"at\":1700000000010");
        assertThat(Json.write(closed)).startsWith("{\"kind\":\"session_closed\"").contains("\"at\":1700000000020");
        assertThat(closed).isEqualTo(new Presence.SessionClosed(2, 1_700_000_000_000L, USER, DEVICE, SESSION,
                1_700_000_000_020L));
    }

    @Test
    void presenceKeysNameTheNodeOrTheSession() {
        assertThat(new Presence.NodeStarted(4, 1, 1).key()).isEqualTo(Topics.presenceNodeKey(4)).isEqualTo("node:4");
        assertThat(new Presence.SessionClosed(4, 1, USER, DEVICE, SESSION, 1).key())
                .isEqualTo(DEVICE + ":" + SESSION);
    }

    @Test
    void unknownOrMissingKindsAreRefused() {
        assertThatThrownBy(() -> Json.read("{\"schema_version\":2,\"kind\":\"nope\",\"node_id\":1,\"user_id\":\"u\"}", Delivery.class))
                .isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> Json.read("{\"schema_version\":2,\"node_id\":1,\"user_id\":\"u\",\"session_id\":\"s\",\"close_code\":4409}",
                Delivery.class)).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> Json.read("{\"schema_version\":2,\"kind\":\"nope\",\"node_id\":1,\"epoch\":1,\"at\":1}", Presence.class))
                .isInstanceOf(JacksonException.class);
    }

    @Test
    void recordsOfSchemaVersionOneAreRefused() {
        // What version 1 wrote: readers skip such records (old and new nodes do not mix; docs/operations.md).
        assertThatThrownBy(() -> Json.read("{\"schema_version\":1,\"node_id\":0,\"user_id\":\"u\",\"session_id\":\"s\","
                + "\"close_code\":4409}", Delivery.class)).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> Json.read("{\"schema_version\":1,\"kind\":\"node\",\"node_id\":0,\"epoch\":5,"
                + "\"online\":true,\"at\":5}", Presence.class)).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> Json.read("{\"schema_version\":1,\"kind\":\"session\",\"node_id\":0,\"epoch\":5,"
                + "\"user_id\":\"u\",\"device_id\":\"d\",\"session_id\":\"s\",\"online\":true,\"at\":5}", Presence.class))
                .isInstanceOf(JacksonException.class);
    }

    @Test
    void aRecordWithoutTheMembersOfItsKindIsRefused() {
        assertThatThrownBy(() -> Json.read("{\"schema_version\":2,\"kind\":\"outcome\",\"node_id\":1,\"user_id\":\"u\",\"session_id\":\"s\"}",
                Delivery.class)).isInstanceOf(JacksonException.class).hasMessageContaining("frame");
        assertThatThrownBy(() -> Json.read("{\"schema_version\":2,\"kind\":\"live_event\",\"node_id\":1,\"user_id\":\"u\","
                + "\"event\":" + Json.write(EVENT) + "}", Delivery.class))
                .isInstanceOf(JacksonException.class).hasMessageContaining("device_ids");
        assertThatThrownBy(() -> Json.read("{\"schema_version\":2,\"kind\":\"close_session\",\"node_id\":1,\"user_id\":\"u\","
                + "\"session_id\":\"s\"}", Delivery.class))
                .isInstanceOf(JacksonException.class).hasMessageContaining("close_code");
        assertThatThrownBy(() -> Json.read("{\"schema_version\":2,\"kind\":\"outcome\",\"node_id\":1,\"session_id\":\"s\","
                + "\"frame\":{\"type\":\"error\",\"code\":\"x\"}}", Delivery.class))
                .isInstanceOf(JacksonException.class).hasMessageContaining("user_id");
        assertThatThrownBy(() -> Json.read("{\"schema_version\":2,\"kind\":\"node_started\",\"node_id\":1,\"at\":1}", Presence.class))
                .isInstanceOf(JacksonException.class).hasMessageContaining("epoch");
        assertThatThrownBy(() -> Json.read("{\"schema_version\":2,\"kind\":\"session_opened\",\"node_id\":1,\"epoch\":1,\"at\":1,"
                + "\"user_id\":\"u\",\"session_id\":\"s\"}", Presence.class))
                .isInstanceOf(JacksonException.class).hasMessageContaining("device_id");
        assertThatThrownBy(() -> new Delivery.Outcome(1, USER, null, EVENT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("session_id");
    }
}
