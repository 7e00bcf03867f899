package dev.pocketbridge.device.challenge;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

import dev.pocketbridge.common.internal.ChallengeConsumption;
import dev.pocketbridge.common.internal.InternalApi;
import dev.pocketbridge.common.internal.ProblemCodes;
import dev.pocketbridge.device.ServicesProperties;
import dev.pocketbridge.web.ApiException;
import dev.pocketbridge.web.InternalClients;
import dev.pocketbridge.web.ServiceCredentials;

/** Consumes registration challenges at auth-service, which issued them and owns their single use. */
@Component
public class ChallengeConsumer {

    private static final Logger log = LoggerFactory.getLogger(ChallengeConsumer.class);

    private final RestClient client;
    private final AuthServiceProperties properties;

    ChallengeConsumer(RestClient.Builder builder, ServicesProperties services, AuthServiceProperties properties,
            ServiceCredentials credentials) {
        this.properties = properties;
        this.client = InternalClients.restClient(builder, services.auth(), properties.connectTimeout(),
                properties.readTimeout(), credentials);
    }

    /**
     * Consumes a {@code register} challenge (it can never be used again, whatever happens next).
     *
     * @throws ApiException {@code 401 challenge_invalid} when auth-service does not know it (unknown,
     *         used, expired, other purpose); {@code 503 unavailable} when auth-service cannot answer
     */
    public void consumeForRegistration(String challenge) {
        ChallengeConsumption body = new ChallengeConsumption(challenge, ChallengeConsumption.PURPOSE_REGISTER, null);
        int status;
        try {
            status = client.post().uri(InternalApi.CONSUME_CHALLENGE)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(body)
                    .exchange((request, response) -> response.getStatusCode().value());
        } catch (RestClientException e) {
            log.warn("auth-service unreachable: {}", e.getMessage());
            throw unavailable();
        }
        if (status == HttpStatus.NOT_FOUND.value()) {
            throw new ApiException(HttpStatus.UNAUTHORIZED, ProblemCodes.CHALLENGE_INVALID,
                    "the challenge is unknown, used or expired");
        }
        if (status < 200 || status >= 300) {
            log.warn("auth-service answered {} to a challenge consumption", status);
            throw unavailable();
        }
    }

    private ApiException unavailable() {
        return ApiException.unavailable("the challenge service is unavailable, retry later", properties.retryAfter());
    }
}
