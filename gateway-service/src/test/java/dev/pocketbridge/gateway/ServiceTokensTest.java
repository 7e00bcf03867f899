package dev.pocketbridge.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.client.InMemoryReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** {@link ServiceTokens} authorizes one at a time. */
class ServiceTokensTest {

    private static final OAuth2AuthorizeRequest REQUEST = OAuth2AuthorizeRequest
            .withClientRegistrationId(ServiceTokens.REGISTRATION_ID).principal("someone's session").build();

    private final AtomicInteger started = new AtomicInteger();
    private final AtomicReference<Sinks.One<OAuth2AuthorizedClient>> current = new AtomicReference<>();
    private final ServiceTokens oneAtATime = new ServiceTokens(request -> Mono.defer(() -> {
        started.incrementAndGet();
        Sinks.One<OAuth2AuthorizedClient> sink = Sinks.one();
        current.set(sink);
        return sink.asMono();
    }), new InMemoryReactiveOAuth2AuthorizedClientService(new InMemoryReactiveClientRegistrationRepository(
            registration())), "gateway");

    @Test
    void callersDuringAnAuthorizationShareItsOutcome() {
        List<OAuth2AuthorizedClient> results = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 5; i++) {
            oneAtATime.authorize(REQUEST).subscribe(results::add);
        }
        assertThat(started).hasValue(1);

        OAuth2AuthorizedClient client = client("token-1");
        current.get().tryEmitValue(client);

        assertThat(results).hasSize(5).containsOnly(client);
    }

    @Test
    void onceDoneTheNextCallAuthorizesAgainAndAFailureIsNotKept() {
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        oneAtATime.authorize(REQUEST).subscribe(c -> { }, errors::add);
        oneAtATime.authorize(REQUEST).subscribe(c -> { }, errors::add);
        current.get().tryEmitError(new IllegalStateException("token endpoint down"));
        assertThat(errors).hasSize(2);

        List<OAuth2AuthorizedClient> results = new CopyOnWriteArrayList<>();
        oneAtATime.authorize(REQUEST).subscribe(results::add);
        assertThat(started).hasValue(2);
        current.get().tryEmitValue(client("token-2"));
        assertThat(results).extracting(c -> c.getAccessToken().getTokenValue()).containsExactly("token-2");
    }

    private static ClientRegistration registration() {
        return ClientRegistration.withRegistrationId(ServiceTokens.REGISTRATION_ID).clientId("gateway")
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS).tokenUri("http://auth/token").build();
    }

    private static OAuth2AuthorizedClient client(String token) {
        Instant now = Instant.now();
        return new OAuth2AuthorizedClient(registration(), "gateway",
                new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, token, now, now.plusSeconds(300)));
    }
}
