package dev.pocketbridge.event.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.codec.Cbor;
import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.internal.InternalApi;
import dev.pocketbridge.common.kafka.AccountChange;
import dev.pocketbridge.common.kafka.InboundEvent;
import dev.pocketbridge.common.kafka.StoredEvent;
import dev.pocketbridge.common.protocol.ReplayPage;
import dev.pocketbridge.common.protocol.ServerFrame;
import dev.pocketbridge.event.EventServiceIntegrationTest;
import dev.pocketbridge.event.log.EventLog;
import dev.pocketbridge.kafka.ProtocolLimitsProperties;
import dev.pocketbridge.testsupport.HttpTestClient.Response;
import dev.pocketbridge.web.ServiceWebAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;

class ReplayIntegrationTest extends EventServiceIntegrationTest {

    @Autowired
    EventLog eventLog;
    @Autowired
    ProtocolLimitsProperties limits;
    @Autowired
    ReplayProperties replayProperties;
    @Autowired
    WebServerApplicationContext context;
    @Autowired
    MeterRegistry meters;

    @Test
    void pagesFollowEachOtherByContinuationTokenUpToTheHead() {
        Sender a = Sender.create(0);
        List<StoredEvent> stored = storeFive(a);
        double readAhead = readAheadTaken();

        ReplayPage first = replay(a, "&after_seq=0&limit=2");
        assertThat(first.events()).extracting(ServerFrame.DeliveredEvent::seq).containsExactly(1L, 2L);
        assertThat(first.hasMore()).isTrue();
        assertThat(first.throughSeq()).isEqualTo(2);
        assertThat(first.isEmpty()).isFalse();
        assertThat(first.oldestAvailableSeq()).isEqualTo(1);
        assertThat(first.continuationToken()).isNotBlank();
        // The replayed event is exactly the one published live.
        assertThat(first.events().getFirst()).isEqualTo(stored.getFirst().event());

        ReplayPage second = replay(a, "&limit=2&continuation_token=" + first.continuationToken());
        assertThat(second.events()).extracting(ServerFrame.DeliveredEvent::seq).containsExactly(3L, 4L);
        assertThat(second.hasMore()).isTrue();
        assertThat(second.throughSeq()).isEqualTo(4);

        ReplayPage last = replay(a, "&limit=2&continuation_token=" + second.continuationToken());
        assertThat(last.events()).extracting(ServerFrame.DeliveredEvent::seq).containsExactly(5L);
        assertThat(last.hasMore()).isFalse();
        assertThat(last.continuationToken()).isNull();
        assertThat(last.throughSeq()).isEqualTo(5);
        assertThat(readAheadTaken()).as("the second and last pages were read while the one before was written")
                .isEqualTo(readAhead + 2);

        Response raw = get(path(a) + "&after_seq=4");
        assertThat(raw.raw().body()).as("written by the wire's mapper: the gateway passes it through unread")
                .isEqualTo(Json.write(Json.read(raw.raw().body(), ReplayPage.class)));
        assertThat(raw.json().has("continuation_token")).isFalse();
        assertThat(raw.raw().headers().firstValue(InternalApi.REPLAY_CONTINUATION_HEADER)).isEmpty();
        assertThat(raw.json().get("is_empty").asBoolean()).isFalse();
        assertThat(raw.json().get("events").get(0).get("encrypted_payload").asString())
                .isEqualTo(stored.get(4).event().encryptedPayload());
    }

    @Test
    void aPageAskedForInCborIsTheSamePageWithItsCiphertextAsBytes() {
        Sender a = Sender.create(0);
        storeFive(a);
        ReplayPage json = replay(a, "&after_seq=1&limit=3");

        HttpResponse<byte[]> cbor = getBytes(path(a) + "&after_seq=1&limit=3", "Accept", Cbor.MEDIA_TYPE);

        assertThat(cbor.statusCode()).isEqualTo(200);
        assertThat(cbor.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith(Cbor.MEDIA_TYPE));
        assertThat(cbor.headers().firstValue(InternalApi.REPLAY_CONTINUATION_HEADER)).contains(json.continuationToken());
        assertThat(Cbor.mapper().readValue(cbor.body(), ReplayPage.class)).isEqualTo(json);
        assertThat(cbor.body()).as("written as the CBOR mapper writes the page: the gateway passes it through unread")
                .isEqualTo(Cbor.mapper().writeValueAsBytes(json));
        byte[] ciphertext = Base64Url.decode(json.events().getFirst().encryptedPayload()).orElseThrow();
        assertThat(new String(cbor.body(), StandardCharsets.ISO_8859_1))
                .contains(new String(ciphertext, StandardCharsets.ISO_8859_1))
                .doesNotContain(json.events().getFirst().encryptedPayload());
    }

    @Test
    void pagesOfLargeEventsAreCutByBytesAndFollowedByContinuation() {
        Sender a = Sender.create(0);
        byte[] payload = new byte[(int) limits.maxPayloadBytes()];
        List<InboundEvent> events = new ArrayList<>();
        for (int i = 1; i <= 13; i++) {
            payload[0] = (byte) i;
            events.add(a.event(i, payload.clone()));
        }
        eventLog.appendAll(events);
        // A 1 MiB payload is 1,398,102 characters encoded: five such events fit the 8 MiB page, six do not.
        long perEvent = Base64Url.encodedLength(payload.length);
        assertThat(5 * perEvent).isLessThan(replayProperties.maxPageBytes());
        assertThat(6 * perEvent).isGreaterThan(replayProperties.maxPageBytes());

        Response firstRaw = get(path(a) + "&after_seq=0&limit=1000");
        ReplayPage first = Json.read(firstRaw.raw().body(), ReplayPage.class);
        assertThat(first.events()).extracting(ServerFrame.DeliveredEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(first.hasMore()).isTrue();
        assertThat(first.throughSeq()).isEqualTo(5);
        assertThat((long) firstRaw.raw().body().length()).as("the page's JSON fits a 10 MiB frame")
                .isLessThan(10L * 1024 * 1024);
        assertThat(Base64Url.decode(first.events().get(2).encryptedPayload()).orElseThrow()[0]).isEqualTo((byte) 3);

        ReplayPage second = replay(a, "&limit=1000&continuation_token=" + first.continuationToken());
        assertThat(second.events()).extracting(ServerFrame.DeliveredEvent::seq)
                .containsExactly(6L, 7L, 8L, 9L, 10L);
        assertThat(second.hasMore()).isTrue();

        ReplayPage last = replay(a, "&limit=1000&continuation_token=" + second.continuationToken());
        assertThat(last.events()).extracting(ServerFrame.DeliveredEvent::seq).containsExactly(11L, 12L, 13L);
        assertThat(last.hasMore()).isFalse();
        assertThat(last.throughSeq()).isEqualTo(13);
        assertThat(last.events().getLast().encryptedPayload()).isEqualTo(events.getLast().event().encryptedPayload());
    }

    @Test
    void pagesAreWrittenToTheSocket64KiBAtATime() {
        TomcatWebServer server = (TomcatWebServer) context.getWebServer();
        // Tomcat reads the setting back from its endpoint's socket properties, as text.
        assertThat(server.getTomcat().getConnector().getProperty("socket.appWriteBufSize"))
                .hasToString(Integer.toString(ServiceWebAutoConfiguration.RESPONSE_WRITE_BYTES))
                .hasToString("65536");
    }

    @Test
    void withoutAStartTheReplayBeginsAfterTheDevicesAckedPosition() {
        Sender a = Sender.create(0);
        Sender b = a.otherDevice();
        storeFive(a);
        sendAck(a.userId(), b.deviceId(), 3);
        await().atMost(WAIT).until(() -> position(a.userId(), b.deviceId()).lastAckedSeq() == 3);

        ReplayPage page = replay(b, "");
        assertThat(page.events()).extracting(ServerFrame.DeliveredEvent::seq).containsExactly(4L, 5L);
        assertThat(page.hasMore()).isFalse();
        // The device's own events are included.
        assertThat(replay(a, "").events()).hasSize(5);
    }

    @Test
    void anEmptyPageReportsTheHead() {
        Sender a = Sender.create(0);
        storeFive(a);
        ReplayPage page = replay(a, "&after_seq=5");
        assertThat(page.events()).isEmpty();
        assertThat(page.isEmpty()).isTrue();
        assertThat(page.hasMore()).isFalse();
        assertThat(page.throughSeq()).isEqualTo(5);

        ReplayPage nothing = replay(Sender.create(0), "");
        assertThat(nothing.isEmpty()).isTrue();
        assertThat(nothing.throughSeq()).isZero();
        assertThat(nothing.oldestAvailableSeq()).isEqualTo(1);
    }

    @Test
    void expiredEventsAreSkippedButCoveredByThroughSeq() {
        Sender a = Sender.create(0);
        long soon = clock.millis() + Duration.ofMinutes(1).toMillis();
        storeAll(a, List.of(a.event(1, "s"), a.event(uuid(), 2, "s", null, soon), a.event(3, "s"),
                a.event(4, "s")));
        clock.advance(Duration.ofMinutes(2));

        ReplayPage page = replay(a, "&after_seq=0&limit=2");
        assertThat(page.events()).extracting(ServerFrame.DeliveredEvent::seq).containsExactly(1L, 3L);
        assertThat(page.hasMore()).isTrue();
        assertThat(page.throughSeq()).isEqualTo(3);
    }

    @Test
    void aTamperedMalformedOrForeignTokenIsRefused() {
        Sender a = Sender.create(0);
        storeFive(a);
        String token = replay(a, "&after_seq=0&limit=1").continuationToken();
        char flipped = token.charAt(3) == 'A' ? 'B' : 'A';
        String tampered = token.substring(0, 3) + flipped + token.substring(4);

        assertThat(problemCode(get(path(a) + "&continuation_token=" + tampered), 400))
                .isEqualTo("invalid_continuation_token");
        assertThat(problemCode(get(path(a) + "&continuation_token=abc"), 400))
                .isEqualTo("invalid_continuation_token");
        Sender other = Sender.create(0);
        assertThat(problemCode(get(path(other) + "&continuation_token=" + token), 400))
                .isEqualTo("invalid_continuation_token");
    }

    @Test
    void requestParametersAreChecked() {
        Sender a = Sender.create(0);
        storeFive(a);
        String token = replay(a, "&after_seq=0&limit=1").continuationToken();

        assertThat(problemCode(get(path(a) + "&after_seq=0&continuation_token=" + token), 400))
                .isEqualTo("invalid_request");
        assertThat(problemCode(get(path(a) + "&limit=0"), 400)).isEqualTo("invalid_request");
        assertThat(problemCode(get(path(a) + "&limit=1001"), 400)).isEqualTo("invalid_request");
        assertThat(problemCode(get(path(a) + "&after_seq=-1"), 400)).isEqualTo("invalid_request");
        assertThat(problemCode(get("/internal/v1/users/" + a.userId() + "/events"), 400))
                .isEqualTo("invalid_request");
        assertThat(problemCode(get("/internal/v1/users/" + a.userId() + "/events?device_id=NOPE"), 400))
                .isEqualTo("invalid_request");
        assertThat(replay(a, "&after_seq=0&limit=1000").events()).hasSize(5);
        assertThat(replay(a, "&after_seq=0&limit=1").events()).hasSize(1);
    }

    @Test
    void aPageReadAheadBeforeItsUsersErasureDoesNotAnswerAfterIt() {
        Sender a = Sender.create(0);
        storeFive(a);
        double erasures = meters.counter("pocketbridge.erasures", "kind", "user").count();
        ReplayPage first = replay(a, "&after_seq=0&limit=2");

        sendAccountChange(new AccountChange.UserDeleted(a.userId(), List.of(a.deviceId()), clock.millis()));
        await().atMost(WAIT).until(() -> meters.counter("pocketbridge.erasures", "kind", "user").count() > erasures);

        double readAhead = readAheadTaken();
        ReplayPage second = replay(a, "&limit=2&continuation_token=" + first.continuationToken());
        assertThat(second.events()).isEmpty();
        assertThat(readAheadTaken()).isEqualTo(readAhead);
    }

    private double readAheadTaken() {
        return meters.counter(ReadAhead.METRIC, "outcome", "taken").count();
    }

    private static List<StoredEvent> storeFive(Sender a) {
        List<InboundEvent> events = List.of(a.event(1, "s"), a.event(2, "t"), a.event(3, "s"), a.event(4, "t"),
                a.event(5, "s"));
        return storeAll(a, events);
    }

    private static String path(Sender s) {
        return "/internal/v1/users/" + s.userId() + "/events?device_id=" + s.deviceId();
    }

    private ReplayPage replay(Sender s, String query) {
        Response response = get(path(s) + query);
        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        ReplayPage page = Json.read(response.raw().body(), ReplayPage.class);
        assertThat(response.raw().headers().firstValue(InternalApi.REPLAY_CONTINUATION_HEADER))
                .as("the token repeated in a header").isEqualTo(Optional.ofNullable(page.continuationToken()));
        return page;
    }
}
