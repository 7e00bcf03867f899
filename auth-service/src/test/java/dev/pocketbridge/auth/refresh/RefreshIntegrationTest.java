package dev.pocketbridge.auth.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import dev.pocketbridge.auth.AuthIntegrationTest;
import dev.pocketbridge.auth.device.DeviceSignOuts;
import dev.pocketbridge.common.internal.InternalApi;
import dev.pocketbridge.testsupport.HttpTestClient.Response;

class RefreshIntegrationTest extends AuthIntegrationTest {

    @Autowired
    RefreshPurger purger;
    @Autowired
    DeviceSignOuts signOuts;
    @Autowired
    JwtDecoder decoder;

    private Response refresh(String token) {
        return post("/api/v1/auth/refresh", Map.of("refresh_token", token));
    }

    private int verify(String accessToken) {
        return get("/api/v1/auth/verify", "Authorization", "Bearer " + accessToken).status();
    }

    @Test
    void aRefreshTokenIsExchangedOnceForANewPair() {
        TestDevice device = registeredDevice();
        Response login = login(device);

        Response rotated = refresh(login.text("refresh_token"));

        assertThat(rotated.status()).isEqualTo(200);
        assertThat(rotated.text("token_type")).isEqualTo("Bearer");
        assertThat(rotated.json().get("expires_in").asLong()).isEqualTo(900);
        assertThat(rotated.text("refresh_token")).isNotEqualTo(login.text("refresh_token"));
        Response verify = get("/api/v1/auth/verify", "Authorization", "Bearer " + rotated.text("access_token"));
        assertThat(verify.text("device_id")).isEqualTo(device.deviceId());
        assertThat(verify.text("user_id")).isEqualTo(device.userId());
        assertThat(refresh(rotated.text("refresh_token")).status()).isEqualTo(200);
    }

    @Test
    void reusingARefreshTokenRevokesTheWholeFamily() {
        TestDevice device = registeredDevice();
        String first = login(device).text("refresh_token");
        String second = refresh(first).text("refresh_token");

        assertThat(problemCode(refresh(first), 401)).isEqualTo("refresh_token_reused");
        // The legitimate successor is revoked with its family.
        assertThat(problemCode(refresh(second), 401)).isEqualTo("refresh_token_invalid");
    }

    @Test
    void ofTwoConcurrentRefreshesWithOneTokenOnlyOneSucceeds() throws Exception {
        String token = login(registeredDevice()).text("refresh_token");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.Callable<Integer> attempt = () -> {
                start.await();
                return refresh(token).status();
            };
            var first = pool.submit(attempt);
            var second = pool.submit(attempt);
            start.countDown();

            assertThat(java.util.List.of(first.get(), second.get())).containsExactlyInAnyOrder(200, 401);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void reuseAlsoRevokesTheDevicesOtherLogins() {
        TestDevice device = registeredDevice();
        String first = login(device).text("refresh_token");
        String other = login(device).text("refresh_token");
        refresh(first);

        assertThat(problemCode(refresh(first), 401)).isEqualTo("refresh_token_reused");
        assertThat(problemCode(refresh(other), 401)).isEqualTo("refresh_token_invalid");
    }

    @Test
    void reuseAlsoSignsTheDeviceOutSoItsAccessTokensStopCounting() {
        TestDevice device = registeredDevice();
        Response login = login(device);
        clock.advance(Duration.ofSeconds(1));
        Response rotated = refresh(login.text("refresh_token"));
        clock.advance(Duration.ofSeconds(1));
        assertThat(verify(login.text("access_token"))).isEqualTo(200);
        assertThat(verify(rotated.text("access_token"))).isEqualTo(200);

        assertThat(problemCode(refresh(login.text("refresh_token")), 401)).isEqualTo("refresh_token_reused");

        assertThat(DEVICES.signOuts(device.deviceId())).singleElement().satisfies(signOut -> {
            Jwt service = decoder.decode(signOut.authorization().substring("Bearer ".length()));
            assertThat(service.getAudience()).containsExactly(InternalApi.SERVICE_AUDIENCE);
        });
        assertThat(pendingSignOuts(device)).isZero();
        // Every access token of the device issued before the reuse, with no wait for their expiry.
        assertThat(verify(login.text("access_token"))).isEqualTo(401);
        assertThat(verify(rotated.text("access_token"))).isEqualTo(401);
        // The device's owner signs in again with the device's key.
        Response again = login(device);
        assertThat(verify(again.text("access_token"))).isEqualTo(200);
        assertThat(refresh(again.text("refresh_token")).status()).isEqualTo(200);
    }

    @Test
    void aReuseIsRefusedWhileDeviceServiceCannotSignOutAndTheSignOutIsRetriedUntilConfirmed() {
        TestDevice device = registeredDevice();
        Response login = login(device);
        refresh(login.text("refresh_token"));
        clock.advance(Duration.ofSeconds(1));
        DEVICES.signOutsFailing(true);

        assertThat(problemCode(refresh(login.text("refresh_token")), 401)).isEqualTo("refresh_token_reused");

        assertThat(DEVICES.signOuts(device.deviceId())).isEmpty();
        assertThat(pendingSignOuts(device)).isOne();
        assertThat(getManagement("/actuator/prometheus").raw().body()).contains("auth_sign_outs_pending");
        signOuts.retryPending();
        assertThat(pendingSignOuts(device)).isOne();

        DEVICES.signOutsFailing(false);
        signOuts.retryPending();

        // (the scheduled retry may have delivered it too: a repeated sign-out is harmless)
        assertThat(DEVICES.signOuts(device.deviceId())).isNotEmpty();
        assertThat(pendingSignOuts(device)).isZero();
        assertThat(verify(login.text("access_token"))).isEqualTo(401);
    }

    @Test
    void aRemovedDeviceCannotRefreshAtOnceAndItsRefreshTokensAreDeleted() {
        TestDevice device = registeredDevice();
        String token = login(device).text("refresh_token");
        remove(device);

        assertThat(problemCode(refresh(token), 401)).isEqualTo("authentication_failed");
        assertThat(familyRows(device)).isZero();
        assertThat(problemCode(refresh(token), 401)).isEqualTo("refresh_token_invalid");
    }

    @Test
    void aRevokedDeviceRestoredBeforeThisServiceHeardOfItKeepsItsEarlierLoginsEnded() {
        TestDevice device = registeredDevice();
        String before = login(device).text("refresh_token");
        clock.advance(Duration.ofSeconds(1));
        // Revoked and restored at device-service: tokens from before the revocation no longer count.
        DEVICES.put(device.credentials(true, clock.instant().truncatedTo(ChronoUnit.SECONDS)));

        assertThat(problemCode(refresh(before), 401)).isEqualTo("authentication_failed");
        String after = login(device).text("refresh_token");
        assertThat(refresh(after).status()).isEqualTo(200);
    }

    @Test
    void aStaleBearerHeaderDoesNotStopARefresh() {
        String token = login(registeredDevice()).text("refresh_token");

        Response response = post("/api/v1/auth/refresh", Map.of("refresh_token", token),
                "Authorization", "Bearer expired.or.garbage");

        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        assertThat(response.text("access_token")).isNotBlank();
    }

    @Test
    void unknownMalformedAndExpiredRefreshTokensAreInvalid() {
        assertThat(problemCode(refresh("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), 401))
                .isEqualTo("refresh_token_invalid");
        assertThat(problemCode(refresh("not a token"), 401)).isEqualTo("refresh_token_invalid");
        assertThat(problemCode(post("/api/v1/auth/refresh", "{}"), 400)).isEqualTo("invalid_request");

        String token = login(registeredDevice()).text("refresh_token");
        clock.advance(Duration.ofDays(30));
        assertThat(problemCode(refresh(token), 401)).isEqualTo("refresh_token_invalid");
    }

    @Test
    void aRevokedDeviceCannotRefresh() {
        TestDevice device = registeredDevice();
        String token = login(device).text("refresh_token");
        revoke(device);

        assertThat(problemCode(refresh(token), 401)).isEqualTo("authentication_failed");
    }

    @Test
    void anUnavailableDeviceServiceDoesNotSpendTheRefreshToken() {
        TestDevice device = registeredDevice();
        String token = login(device).text("refresh_token");
        DEVICES.failing(true);

        Response unavailable = refresh(token);
        assertThat(problemCode(unavailable, 503)).isEqualTo("unavailable");
        assertThat(unavailable.header("Retry-After")).isNotBlank();

        DEVICES.failing(false);
        assertThat(refresh(token).status()).isEqualTo(200);
    }

    @Test
    void purgeRemovesExpiredTokensAndTheirEmptiedFamiliesOnly() {
        TestDevice old = registeredDevice();
        String expired = login(old).text("refresh_token");
        clock.advance(Duration.ofDays(30));
        TestDevice fresh = registeredDevice();
        String valid = login(fresh).text("refresh_token");

        purger.purge();

        assertThat(tokenRows(expired)).isZero();
        assertThat(familyRows(old)).isZero();
        assertThat(tokenRows(valid)).isOne();
        assertThat(familyRows(fresh)).isOne();
    }

    private long tokenRows(String token) {
        return jdbc.sql("SELECT count(*) FROM refresh_tokens WHERE token_hash = ?")
                .param(RefreshTokenStore.hash(token)).query(Long.class).single();
    }

    private long pendingSignOuts(TestDevice device) {
        return jdbc.sql("SELECT count(*) FROM pending_sign_outs WHERE device_id = ?::uuid")
                .param(device.deviceId()).query(Long.class).single();
    }

    private long familyRows(TestDevice device) {
        return jdbc.sql("SELECT count(*) FROM refresh_token_families WHERE device_id = ?::uuid")
                .param(device.deviceId()).query(Long.class).single();
    }
}
