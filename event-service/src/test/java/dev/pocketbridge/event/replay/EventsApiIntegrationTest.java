package dev.pocketbridge.event.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.nimbusds.jwt.JWTClaimsSet;

import dev.pocketbridge.common.codec.Cbor;
import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.internal.DeviceCredentials;
import dev.pocketbridge.common.internal.DevicePosition;
import dev.pocketbridge.common.protocol.ReplayPage;
import dev.pocketbridge.common.protocol.ServerFrame;
import dev.pocketbridge.event.EventServiceIntegrationTest;
import dev.pocketbridge.testsupport.HttpTestClient.Response;
import dev.pocketbridge.testsupport.TestIssuer;

/**
 * {@code GET /api/v1/events}: the replay pages of the internal API (one {@link ReplayService}), for
 * the device of a device access token that device-service still admits.
 */
class EventsApiIntegrationTest extends EventServiceIntegrationTest {

    private static final String EVENTS = "/api/v1/events";

    @Test
    void pagesFollowEachOtherByContinuationTokenExactlyAsTheGatewaysReplay() {
        Sender a = registered();
        storeFive(a);

        ReplayPage first = page(a, "?after_seq=0&limit=2");
        assertThat(first.events()).extracting(ServerFrame.DeliveredEvent::seq).containsExactly(1L, 2L);
        assertThat(first.hasMore()).isTrue();
        assertThat(first.throughSeq()).isEqualTo(2);
        assertThat(first.oldestAvailableSeq()).isEqualTo(1);
        ReplayPage second = page(a, "?limit=2&continuation_token=" + first.continuationToken());
        assertThat(second.events()).extracting(ServerFrame.DeliveredEvent::seq).containsExactly(3L, 4L);
        ReplayPage last = page(a, "?limit=2&continuation_token=" + second.continuationToken());
        assertThat(last.events()).extracting(ServerFrame.DeliveredEvent::seq).containsExactly(5L);
        assertThat(last.hasMore()).isFalse();
        assertThat(last.continuationToken()).isNull();
        assertThat(last.throughSeq()).isEqualTo(5);

        // Byte for byte the body the gateway gets for a replay_request (less type and request_id).
        for (String query : List.of("?after_seq=0&limit=2", "?limit=2&continuation_token=" + first.continuationToken(),
                "?after_seq=4", "?after_seq=9")) {
            Response rest = events(token(a), query);
            Response internal = get("/internal/v1/users/" + a.userId() + "/events?device_id=" + a.deviceId()
                    + query.replace('?', '&'));
            assertThat(rest.status()).as(query).isEqualTo(200);
            assertThat(rest.raw().body()).as(query).isEqualTo(internal.raw().body());
        }
        Response raw = events(token(a), "?after_seq=5");
        assertThat(raw.json().has("type")).isFalse();
        assertThat(raw.json().has("continuation_token")).isFalse();
        assertThat(raw.json().get("is_empty").asBoolean()).isTrue();
        assertThat(raw.json().get("through_seq").asLong()).isEqualTo(5);
    }

    @Test
    void withoutAPositionThePageStartsAfterTheDevicesAcknowledgedSeq() {
        Sender a = registered();
        storeFive(a);
        sendAck(a.userId(), a.deviceId(), 3);
        await().atMost(WAIT).until(() -> position(a).lastAckedSeq() == 3);

        ReplayPage page = page(a, "");
        assertThat(page.events()).extracting(ServerFrame.DeliveredEvent::seq).containsExactly(4L, 5L);
        assertThat(page.hasMore()).isFalse();
        // The device's own events are in it too (the sender of these five is this device).
        assertThat(page.events()).allMatch(e -> e.deviceId().equals(a.deviceId()));
    }

    @Test
    void theRestReplayIsJsonOnlyThoughTheServiceWritesCborPagesForTheGateway() {
        Sender a = registered();
        storeFive(a);

        Response cbor = getWithHeaders(EVENTS, "Authorization", "Bearer " + token(a), "Accept", Cbor.MEDIA_TYPE);

        assertThat(cbor.status()).isEqualTo(406);
        assertThat(String.valueOf(cbor.header("Content-Type"))).doesNotContain("cbor");
        Response either = getWithHeaders(EVENTS, "Authorization", "Bearer " + token(a), "Accept",
                Cbor.MEDIA_TYPE + ", application/json;q=0.5");
        assertThat(either.status()).isEqualTo(200);
        assertThat(either.header("Content-Type")).startsWith("application/json");
    }

    @Test
    void badParametersAreInvalidRequestsAsOverWebSocket() {
        Sender a = registered();
        storeFive(a);
        String token = page(a, "?after_seq=0&limit=1").continuationToken();

        for (String query : List.of("?limit=0", "?limit=1001", "?after_seq=-1", "?limit=abc", "?after_seq=1.5",
                "?after_seq=0&continuation_token=" + token)) {
            assertThat(problemCode(events(token(a), query), 400)).as(query).isEqualTo("invalid_request");
        }
        String tampered = token.substring(0, 10) + (token.charAt(10) == 'A' ? 'B' : 'A') + token.substring(11);
        assertThat(problemCode(events(token(a), "?continuation_token=" + tampered), 400))
                .isEqualTo("invalid_continuation_token");
    }

    @Test
    void noTokenOrQueryShowsAnotherUsersEvents() {
        Sender a = registered();
        Sender b = registered();
        storeFive(a);
        storeAll(b, List.of(b.event(1, "s")));
        String tokenOfA = page(a, "?after_seq=0&limit=2").continuationToken();

        // The user and device are the token's: ids in the query change nothing.
        ReplayPage ofB = page(b, "?after_seq=0&user_id=" + a.userId() + "&device_id=" + a.deviceId());
        assertThat(ofB.events()).extracting(ServerFrame.DeliveredEvent::eventId).hasSize(1)
                .doesNotContainAnyElementsOf(page(a, "?after_seq=0").events().stream()
                        .map(ServerFrame.DeliveredEvent::eventId).toList());
        assertThat(ofB.throughSeq()).isEqualTo(1);
        // Another user's continuation token is refused, not followed.
        assertThat(problemCode(events(token(b), "?continuation_token=" + tokenOfA), 400))
                .isEqualTo("invalid_continuation_token");
        // A device of A presented with B's user id in a token does not count at device-service.
        assertThat(problemCode(events(AUTH.deviceToken(b.userId(), a.deviceId()), "?after_seq=0"), 401))
                .isEqualTo("unauthorized");
    }

    @Test
    void aRevokedOrRemovedDevicesTokenOrAWithdrawnTokenIsUnauthorized() {
        Sender revoked = registered();
        Sender removed = registered();
        Sender signedOut = registered();
        DEVICES.put(new DeviceCredentials(revoked.deviceId(), revoked.userId(), "key", false));
        DEVICES.remove(removed.deviceId());
        String before = token(signedOut);
        // Tokens issued before tokens_not_before no longer count; those after it do.
        DEVICES.put(new DeviceCredentials(signedOut.deviceId(), signedOut.userId(), "key", true,
                Instant.now().plusSeconds(5).toEpochMilli()));
        String after = AUTH.sign(new JWTClaimsSet.Builder().issuer(TestIssuer.ISSUER).subject(signedOut.deviceId())
                .issueTime(Date.from(Instant.now().plusSeconds(10))).expirationTime(Date.from(Instant.now().plusSeconds(600)))
                .claim("user_id", signedOut.userId()).claim("device_id", signedOut.deviceId())
                .claim("roles", List.of("device")).build());

        for (String token : List.of(token(revoked), token(removed), before)) {
            Response response = events(token, "");
            assertThat(problemCode(response, 401)).isEqualTo("unauthorized");
            assertThat(response.raw().body()).doesNotContain("after_seq");
        }
        assertThat(events(after, "").status()).isEqualTo(200);
    }

    @Test
    void onlyDeviceTokensMayReplay() {
        Sender a = registered();
        assertThat(problemCode(getWithHeaders(EVENTS), 401)).isEqualTo("unauthorized");
        assertThat(problemCode(events(AUTH.adminToken(), ""), 403)).isEqualTo("forbidden");
        assertThat(problemCode(events(AUTH.serviceToken(), ""), 403)).isEqualTo("forbidden");
        // A token with the ids but without the device role is no device token either.
        String noRole = AUTH.sign(new JWTClaimsSet.Builder().issuer(TestIssuer.ISSUER).subject(a.deviceId())
                .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(600)))
                .claim("user_id", a.userId()).claim("device_id", a.deviceId()).claim("roles", List.of("admin"))
                .build());
        assertThat(problemCode(events(noRole, ""), 403)).isEqualTo("forbidden");
        assertThat(events(token(a), "").status()).isEqualTo(200);
    }

    @Test
    void aRevocationCountsOnceTheCachedLookupIsASecondOld() {
        Sender a = registered();
        int lookups = DEVICES.lookups();
        assertThat(events(token(a), "").status()).isEqualTo(200);
        assertThat(events(token(a), "").status()).isEqualTo(200);
        assertThat(DEVICES.lookups()).isEqualTo(lookups + 1);
        assertThat(DEVICES.refused()).isZero();

        DEVICES.put(new DeviceCredentials(a.deviceId(), a.userId(), "key", false));
        clock.advance(Duration.ofMillis(999));
        assertThat(events(token(a), "").status()).isEqualTo(200);
        clock.advance(Duration.ofMillis(1));
        assertThat(problemCode(events(token(a), ""), 401)).isEqualTo("unauthorized");
    }

    @Test
    void whileDeviceServiceCannotAnswerTheReplayIsUnavailable() {
        Sender a = registered();
        DEVICES.failing(true);

        Response response = events(token(a), "");
        assertThat(problemCode(response, 503)).isEqualTo("unavailable");
        assertThat(response.header("Retry-After")).isEqualTo("5");

        DEVICES.failing(false);
        assertThat(events(token(a), "").status()).isEqualTo(200);
    }

    @Test
    void eachUserHasTheServicesPerUserRateLimit() {
        Sender a = registered();
        Sender b = registered();
        for (int i = 0; i < 40; i++) {
            assertThat(events(token(a), "").status()).isEqualTo(200);
        }
        Response limited = events(token(a), "");
        assertThat(problemCode(limited, 429)).isEqualTo("rate_limited");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isPositive();
        assertThat(events(token(b), "").status()).isEqualTo(200);
    }

    // --- helpers -----------------------------------------------------------------------------

    /** A new user with one device that device-service knows and admits. */
    private static Sender registered() {
        Sender sender = Sender.create(0);
        DEVICES.put(new DeviceCredentials(sender.deviceId(), sender.userId(), "key", true));
        return sender;
    }

    private static String token(Sender s) {
        return AUTH.deviceToken(s.userId(), s.deviceId());
    }

    private static void storeFive(Sender a) {
        storeAll(a, List.of(a.event(1, "s"), a.event(2, "s"), a.event(3, "t"), a.event(4, "s"), a.event(5, "t")));
    }

    private Response events(String token, String query) {
        return getWithHeaders(EVENTS + query, "Authorization", "Bearer " + token);
    }

    private ReplayPage page(Sender s, String query) {
        Response response = events(token(s), query);
        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        return Json.read(response.raw().body(), ReplayPage.class);
    }

    private DevicePosition position(Sender s) {
        return position(s.userId(), s.deviceId());
    }
}
