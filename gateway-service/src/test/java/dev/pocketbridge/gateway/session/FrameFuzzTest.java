package dev.pocketbridge.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

import org.springframework.beans.factory.annotation.Autowired;

import dev.pocketbridge.client.DeviceSession;
import dev.pocketbridge.common.FrameArbitraries;
import dev.pocketbridge.common.protocol.ClientFrame;
import dev.pocketbridge.common.protocol.EventValidator;
import dev.pocketbridge.common.protocol.FrameCodec;
import dev.pocketbridge.common.protocol.FrameCodec.Decoded;
import dev.pocketbridge.common.protocol.ServerFrame;
import dev.pocketbridge.gateway.GatewayIntegrationTest;
import dev.pocketbridge.testsupport.SpringTestContexts;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Hostile frames over the real socket of an established session (PROTOCOL.md §5.2): each frame that
 * cannot be read, or is an event the stateless checks refuse, or an ack or replay request with a bad
 * value, is answered at once with {@code event_rejected} or {@code error} and the code §5.2 names
 * for it, and the session stays open for the next one.
 */
class FrameFuzzTest extends GatewayIntegrationTest {

    /** The format rules alone: no size limit and no expiry, which are the deployment's. */
    private static final EventValidator FORMAT = new EventValidator(Long.MAX_VALUE);
    /** The largest replay {@code limit} of §3.4. */
    private static final int MAX_REPLAY_LIMIT = 1000;

    private DeviceSession device;
    /** The gateway's own decoder, with its parsing limits: a frame beyond them is a protocol error. */
    private FrameCodec.ClientDecoder decoder;

    @Autowired
    SessionProperties sessionProperties;

    @BeforeProperty
    void establish() {
        SpringTestContexts.inject(this);
        decoder = FrameCodec.clientDecoder(SessionHandler.constraints(sessionProperties));
        // The first handshake of a cold JVM may outlast the tests' short handshake timeout.
        device = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> establish(registeredDevice()), Objects::nonNull);
    }

    @AfterProperty
    void close() {
        device.close();
    }

    @Property
    void everyRefusedFrameIsAnsweredWithItsDocumentedCodeAndTheSessionStaysOpen(@ForAll("frames") String text) {
        // The client cannot send text that is not Unicode; frames that are acted on are other tests' subject.
        Assume.that(StandardCharsets.UTF_8.newEncoder().canEncode(text));
        Decoded decoded = decoder.decode(text);
        Assume.that(answeredAtOnce(decoded));

        device.sendText(text);
        ServerFrame answer = next(device);

        switch (decoded) {
            case Decoded.Invalid invalid when "event".equals(invalid.type()) ->
                    assertThat(answer).as(text).isInstanceOfSatisfying(ServerFrame.EventRejected.class, r -> {
                        assertThat(r.code()).isEqualTo("invalid_event");
                        assertThat(r.eventId()).isEqualTo(invalid.eventId());
                        assertThat(r.deviceSeq()).isEqualTo(invalid.deviceSeq());
                    });
            case Decoded.Invalid invalid -> assertError(text, answer, "protocol_error");
            case Decoded.Valid(ClientFrame.SendEvent event) ->
                    assertThat(answer).as(text).isInstanceOfSatisfying(ServerFrame.EventRejected.class, r -> {
                        assertThat(r.code()).isIn("invalid_event", "payload_too_large");
                        assertThat(r.eventId()).isEqualTo(event.eventId());
                        assertThat(r.deviceSeq()).isEqualTo(event.deviceSeq());
                    });
            case Decoded.Valid valid -> assertError(text, answer, "invalid_request");
        }
        assertThat(device.isClosed()).as(text).isFalse();
    }

    /** Found when the parsing limits met this property: a number beyond them is a protocol error, not an invalid event. */
    @Example
    void anEventWithANumberBeyondTheParsingLimitsIsAProtocolError() {
        everyRefusedFrameIsAnsweredWithItsDocumentedCodeAndTheSessionStaysOpen(
                "{\"type\":\"event\",\"base_stream_seq\":{\"after_seq\":1" + "0".repeat(40) + "}}");
    }

    /** Refused without a round trip to another service, so the answer is the next frame. */
    private static boolean answeredAtOnce(Decoded decoded) {
        return switch (decoded) {
            case Decoded.Invalid invalid -> true;
            case Decoded.Valid(ClientFrame.SendEvent event) -> FORMAT.validate(event).isPresent();
            case Decoded.Valid(ClientFrame.Ack ack) -> ack.seq() == null || ack.seq() < 0;
            case Decoded.Valid(ClientFrame.ReplayRequest replay) ->
                    replay.limit() != null && (replay.limit() < 1 || replay.limit() > MAX_REPLAY_LIMIT);
            // A second hello or auth ends the session (SessionIntegrationTest covers it).
            case Decoded.Valid valid -> false;
        };
    }

    private static void assertError(String text, ServerFrame answer, String code) {
        assertThat(answer).as(text).isInstanceOfSatisfying(ServerFrame.Error.class,
                error -> assertThat(error.code()).isEqualTo(code));
    }

    @Provide
    Arbitrary<String> frames() {
        return FrameArbitraries.hostileFrames();
    }
}
