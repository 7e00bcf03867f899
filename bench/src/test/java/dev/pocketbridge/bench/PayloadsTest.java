package dev.pocketbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.codec.Base64Url;

class PayloadsTest {

    @Test
    void theMarkerSurvivesBase64url() {
        UUID user = UUID.randomUUID();
        byte[] payload = Payloads.make(1024, user, 77L, 123_456L);
        assertThat(payload).hasSize(1024);
        assertThat(Payloads.read(Base64Url.encode(payload))).contains(new Payloads.Marker(user, 77L, 123_456L));
    }

    @Test
    void thePayloadIsAtLeastTheMarker() {
        UUID user = UUID.randomUUID();
        byte[] payload = Payloads.make(10, user, 1L, -1L);
        assertThat(payload).hasSize(Payloads.MARKER_BYTES);
        assertThat(Payloads.read(Base64Url.encode(payload))).contains(new Payloads.Marker(user, 1L, -1L));
    }

    @Test
    void otherPayloadsCarryNoMarker() {
        assertThat(Payloads.read(Base64Url.encode(new byte[64]))).isEmpty();
        assertThat(Payloads.read("short")).isEmpty();
        assertThat(Payloads.read((String) null)).isEmpty();
        assertThat(Payloads.read("!".repeat(60))).isEmpty();
    }
}
