package dev.pocketbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.pocketbridge.client.ApiError;

class RegistrarTest {

    @Test
    void rateLimitedCallsAreRetriedAndTheFirstSaysWhyOnce() {
        AtomicInteger calls = new AtomicInteger();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            for (int round = 0; round < 2; round++) {
                String answer = Registrar.retry(() -> {
                    if (calls.incrementAndGet() % 3 != 0) {
                        throw new ApiError(429, "rate_limited", "too many requests", null, 0L);
                    }
                    return "registered";
                });
                assertThat(answer).isEqualTo("registered");
            }
        } finally {
            System.setOut(out);
        }

        assertThat(calls).hasValue(6);
        String text = printed.toString(StandardCharsets.UTF_8);
        assertThat(text.split(java.util.regex.Pattern.quote(Registrar.RATE_LIMITED), -1)).as("said once").hasSize(2);
        assertThat(text).contains("--server", "README");
    }

    @Test
    void aRateLimitedCallGoesOnForAsLongAsTheServerAsksToWaitButAServerErrorOnlyAFewTimes() {
        AtomicInteger rateLimited = new AtomicInteger();
        String answer = Registrar.retry(() -> {
            if (rateLimited.incrementAndGet() <= 12) { // a pairing lookup's minute at ten per minute
                throw new ApiError(429, "rate_limited", "too many requests", null, 0L);
            }
            return "looked up";
        });
        assertThat(answer).isEqualTo("looked up");
        assertThat(rateLimited).hasValue(13);

        AtomicInteger failing = new AtomicInteger();
        assertThatThrownBy(() -> Registrar.retry(() -> {
            failing.incrementAndGet();
            throw new ApiError(503, "unavailable", "try later", null, 0L);
        })).isInstanceOf(ApiError.class);
        assertThat(failing).as("5xx: a bounded number of tries").hasValue(5);
    }

    @Test
    void aRefusalThatIsNotTransientIsNotRetried() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> Registrar.retry(() -> {
            calls.incrementAndGet();
            throw new ApiError(400, "invalid_request", "bad name", null, null);
        })).isInstanceOf(ApiError.class);
        assertThat(calls).hasValue(1);
    }
}
