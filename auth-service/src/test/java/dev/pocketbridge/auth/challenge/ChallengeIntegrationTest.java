package dev.pocketbridge.auth.challenge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.pocketbridge.auth.AuthIntegrationTest;
import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.internal.ChallengeConsumption;
import dev.pocketbridge.common.internal.InternalApi;
import dev.pocketbridge.testsupport.HttpTestClient.Response;

class ChallengeIntegrationTest extends AuthIntegrationTest {

    @Autowired
    ChallengePurger purger;

    private String registerChallenge() {
        Response response = post("/api/v1/auth/challenge", "{\"purpose\":\"register\"}");
        assertThat(response.status()).isEqualTo(201);
        return response.text("challenge");
    }

    /** The service token device-service would send; fetched before each test, outside any concurrency. */
    private String[] service;

    @BeforeEach
    void fetchServiceToken() {
        service = serviceBearer();
    }

    private int consume(String challenge, String purpose, String deviceId) {
        return post(InternalApi.CONSUME_CHALLENGE, new ChallengeConsumption(challenge, purpose, deviceId), service)
                .status();
    }

    @Test
    void issuesThirtyTwoRandomBytesValidForTwoMinutes() {
        Instant now = clock.instant();
        Response response = post("/api/v1/auth/challenge", "{\"purpose\":\"register\"}");

        assertThat(response.status()).isEqualTo(201);
        assertThat(Base64Url.decodeExact(response.text("challenge"), 32)).isPresent();
        assertThat(response.json().get("expires_at").asLong()).isEqualTo(now.plusSeconds(120).toEpochMilli());
        assertThat(registerChallenge()).isNotEqualTo(response.text("challenge"));
    }

    @Test
    void refusesUnknownPurposeAndBadDeviceIdsAsInvalidRequest() {
        String device = UUID.randomUUID().toString();
        assertThat(problemCode(post("/api/v1/auth/challenge", "{\"purpose\":\"login\"}"), 400))
                .isEqualTo("invalid_request");
        assertThat(problemCode(post("/api/v1/auth/challenge", "{}"), 400)).isEqualTo("invalid_request");
        assertThat(problemCode(post("/api/v1/auth/challenge", "{\"purpose\":\"token\"}"), 400))
                .isEqualTo("invalid_request");
        assertThat(problemCode(post("/api/v1/auth/challenge",
                "{\"purpose\":\"token\",\"device_id\":\"" + device.toUpperCase() + "\"}"), 400))
                .isEqualTo("invalid_request");
        assertThat(problemCode(post("/api/v1/auth/challenge",
                "{\"purpose\":\"register\",\"device_id\":\"" + device + "\"}"), 400))
                .isEqualTo("invalid_request");
    }

    @Test
    void problemDetailsCarryTheCallersRequestId() {
        Response response = post("/api/v1/auth/challenge", "{\"purpose\":\"nope\"}", "X-Request-ID", "req-42.abc");

        assertThat(response.header("X-Request-ID")).isEqualTo("req-42.abc");
        assertThat(problemCode(response, 400)).isEqualTo("invalid_request");
        assertThat(response.json().get("request_id").asString()).isEqualTo("req-42.abc");
    }

    @Test
    void aChallengeIsConsumedOnce() {
        String challenge = registerChallenge();

        assertThat(consume(challenge, "register", null)).isEqualTo(204);
        Response again = post(InternalApi.CONSUME_CHALLENGE, new ChallengeConsumption(challenge, "register", null),
                service);
        assertThat(problemCode(again, 404)).isEqualTo("challenge_invalid");
    }

    @Test
    void anExpiredChallengeCannotBeConsumed() {
        String challenge = registerChallenge();
        clock.advance(Duration.ofSeconds(120));

        assertThat(consume(challenge, "register", null)).isEqualTo(404);
    }

    @Test
    void aChallengeIsConsumedOnlyForItsPurposeAndDevice() {
        String device = UUID.randomUUID().toString();
        String challenge = tokenChallenge(device);

        assertThat(consume(challenge, "register", null)).isEqualTo(404);
        assertThat(consume(challenge, "token", UUID.randomUUID().toString())).isEqualTo(404);
        assertThat(consume(challenge, "token", null)).isEqualTo(404);
        assertThat(consume("unknown", "token", device)).isEqualTo(404);
        // The failed attempts above did not spend it.
        assertThat(consume(challenge, "token", device)).isEqualTo(204);
    }

    @Test
    void concurrentConsumersOfOneChallengeOnlyOneWins() throws Exception {
        int consumers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(consumers);
        try {
            for (int round = 0; round < 5; round++) {
                String challenge = registerChallenge();
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> results = new ArrayList<>();
                for (int i = 0; i < consumers; i++) {
                    Callable<Integer> attempt = () -> {
                        start.await();
                        return consume(challenge, "register", null);
                    };
                    results.add(pool.submit(attempt));
                }
                start.countDown();
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> result : results) {
                    statuses.add(result.get());
                }
                assertThat(statuses).containsOnly(204, 404).filteredOn(s -> s == 204).hasSize(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void purgeRemovesExpiredChallengesOnly() {
        String old = registerChallenge();
        clock.advance(Duration.ofSeconds(60));
        String fresh = registerChallenge();
        clock.advance(Duration.ofSeconds(61));

        // The scheduled purge may have run too; either way the expired one must be gone.
        purger.purge();
        assertThat(exists(old)).isFalse();
        assertThat(exists(fresh)).isTrue();
    }

    private boolean exists(String challenge) {
        return jdbc.sql("SELECT count(*) FROM challenges WHERE challenge = ?").param(challenge)
                .query(Long.class).single() == 1;
    }
}
