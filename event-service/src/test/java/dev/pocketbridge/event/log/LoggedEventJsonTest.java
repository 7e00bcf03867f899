package dev.pocketbridge.event.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.common.codec.Cbor;
import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.protocol.FrameCodec;
import dev.pocketbridge.common.protocol.ServerFrame;

/**
 * A row written by the wire's mapper is byte for byte its {@code DeliveredEvent} frame, in JSON and in
 * CBOR: replay pages are written from rows ({@code ReplayController}), and devices parse them as
 * DeliveredEvents.
 */
class LoggedEventJsonTest {

    private static final Random RANDOM = new Random(7);

    @Test
    void aRowIsWrittenExactlyAsItsDeliveredEventForEveryPayloadLength() {
        // Every remainder of base64's 3-byte groups, the empty payload, and a typical 1 KiB one.
        for (int length : new int[] {0, 1, 2, 3, 4, 5, 6, 7, 62, 63, 64, 1023, 1024, 1025, 65_537}) {
            for (Long expiresAt : new Long[] {null, 1_767_225_600_000L}) {
                byte[] payload = new byte[length];
                RANDOM.nextBytes(payload);
                LoggedEvent row = new LoggedEvent(RANDOM.nextLong(1, Long.MAX_VALUE), UUID.randomUUID(),
                        UUID.randomUUID(), 42, "clipboard", 7, "text/\"quoted\"", payload, expiresAt,
                        1_767_139_200_123L, length % 2 == 0);

                byte[] written = Json.mapper().writeValueAsBytes(row); // as the replay endpoint writes a page

                assertThat(written).isEqualTo(Json.mapper().writeValueAsBytes(row.toDelivered()));
                assertThat(Json.write(row)).isEqualTo(Json.write(row.toDelivered()));
                assertThat(Json.mapper().readValue(written, ServerFrame.class)).isEqualTo(row.toDelivered());

                byte[] cbor = Cbor.mapper().writeValueAsBytes(row); // as a page asked for in CBOR (§3.4)
                assertThat(cbor).isEqualTo(Cbor.mapper().writeValueAsBytes(row.toDelivered()));
                assertThat(FrameCodec.decodeServerCbor(cbor)).isEqualTo(row.toDelivered());
            }
        }
    }

    @Test
    void aPayloadUsesTheUrlAlphabetWithoutPadding() {
        byte[] payload = {(byte) 0xfb, (byte) 0xff, (byte) 0xbf, (byte) 0xfe};

        LoggedEvent row = new LoggedEvent(1, UUID.randomUUID(), UUID.randomUUID(), 1, "s", 1, "t", payload, null, 0,
                false);

        assertThat(new String(Json.mapper().writeValueAsBytes(row), StandardCharsets.UTF_8))
                .contains("\"encrypted_payload\":\"-_-__g\"");
        assertThat(Json.write(row)).contains("\"encrypted_payload\":\"-_-__g\"");
    }
}
