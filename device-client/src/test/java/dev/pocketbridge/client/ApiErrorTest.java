package dev.pocketbridge.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiErrorTest {

    @Test
    void readsProblemDetails() {
        String body = """
                {"type":"about:blank","title":"Conflict","status":409,
                 "detail":"a device of this user already has that name",
                 "code":"device_name_taken","request_id":"req-123","instance":"/api/v1/devices/register"}""";

        ApiError error = ApiError.fromResponse(409, body, "other", null);

        assertThat(error.status()).isEqualTo(409);
        assertThat(error.code()).isEqualTo("device_name_taken");
        assertThat(error.detail()).isEqualTo("a device of this user already has that name");
        assertThat(error.requestId()).isEqualTo("req-123");
        assertThat(error.retryAfterSeconds()).isEmpty();
        assertThat(error.getMessage()).contains("409", "device_name_taken", "req-123");
    }

    @Test
    void fallsBackToTheRequestIdHeaderAndReadsRetryAfter() {
        ApiError error = ApiError.fromResponse(429, "{\"code\":\"rate_limited\",\"title\":\"Too Many Requests\"}",
                "hdr-1", "7");

        assertThat(error.code()).isEqualTo("rate_limited");
        assertThat(error.detail()).isEqualTo("Too Many Requests");
        assertThat(error.requestId()).isEqualTo("hdr-1");
        assertThat(error.retryAfterSeconds()).hasValue(7);
    }

    @Test
    void keepsTheStartOfABodyThatIsNotJson() {
        ApiError error = ApiError.fromResponse(502, "<html>Bad Gateway</html>", null, null);

        assertThat(error.code()).isNull();
        assertThat(error.detail()).isEqualTo("<html>Bad Gateway</html>");
        assertThat(error.requestId()).isNull();
    }

    @Test
    void emptyBodyStillGivesTheStatus() {
        ApiError error = ApiError.fromResponse(404, "", null, null);

        assertThat(error.status()).isEqualTo(404);
        assertThat(error.code()).isNull();
    }
}
