package dev.pocketbridge.gateway;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.oauth2.client.AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ClientCredentialsReactiveOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.InMemoryReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.RemoveAuthorizedClientReactiveOAuth2AuthorizationFailureHandler;
import org.springframework.security.oauth2.client.endpoint.WebClientReactiveClientCredentialsTokenResponseClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.reactive.function.client.ServerOAuth2AuthorizedClientExchangeFilterFunction;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.web.reactive.function.client.WebClient;

import dev.pocketbridge.common.internal.InternalApi;
import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * The {@link WebClient}s for service-to-service calls: {@code internalWebClient} (handshake
 * lookups, positions, replay) carries a service token, a client-credentials token from auth-service
 * through Spring Security's OAuth 2.0 client, cached and renewed {@code renew-before} its expiry and
 * dropped when a service answers 401 or 403; {@code plainWebClient} (readiness probes on the
 * management ports, the token requests themselves) carries none.
 */
@Configuration(proxyBeanMethods = false)
class ClientConfiguration {

    static final String REGISTRATION_ID = "pocketbridge-internal";

    @Bean
    WebClient plainWebClient(ClientProperties p) {
        return builder(p).build();
    }

    @Bean
    WebClient internalWebClient(ClientProperties p, InternalClientProperties internal,
            @Qualifier("plainWebClient") WebClient plainWebClient, Clock clock) {
        ClientRegistration registration = ClientRegistration.withRegistrationId(REGISTRATION_ID)
                .clientId(internal.clientId())
                .clientSecret(internal.clientSecret())
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scope(InternalApi.SERVICE_SCOPE)
                .tokenUri(internal.tokenUri().toString())
                .build();
        InMemoryReactiveClientRegistrationRepository registrations =
                new InMemoryReactiveClientRegistrationRepository(registration);
        InMemoryReactiveOAuth2AuthorizedClientService authorizedClients =
                new InMemoryReactiveOAuth2AuthorizedClientService(registrations);

        WebClientReactiveClientCredentialsTokenResponseClient tokenClient =
                new WebClientReactiveClientCredentialsTokenResponseClient();
        tokenClient.setWebClient(plainWebClient);
        ClientCredentialsReactiveOAuth2AuthorizedClientProvider provider =
                new ClientCredentialsReactiveOAuth2AuthorizedClientProvider();
        provider.setAccessTokenResponseClient(tokenClient);
        provider.setClock(clock);
        provider.setClockSkew(internal.renewBefore());
        AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager manager =
                new AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager(registrations, authorizedClients);
        manager.setAuthorizedClientProvider(provider);

        ServerOAuth2AuthorizedClientExchangeFilterFunction oauth =
                new ServerOAuth2AuthorizedClientExchangeFilterFunction(new OneAtATime(manager));
        oauth.setDefaultClientRegistrationId(REGISTRATION_ID);
        oauth.setAuthorizationFailureHandler(new RemoveAuthorizedClientReactiveOAuth2AuthorizationFailureHandler(
                (clientRegistrationId, principal, attributes) -> authorizedClients
                        .removeAuthorizedClient(clientRegistrationId, principal.getName())));
        return builder(p)
                .codecs(c -> c.defaultCodecs().maxInMemorySize(p.maxResponseBytes()))
                .filter(oauth)
                .build();
    }

    private static WebClient.Builder builder(ClientProperties p) {
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) p.connectTimeout().toMillis())
                .responseTimeout(p.responseTimeout());
        return WebClient.builder().clientConnector(new ReactorClientHttpConnector(http));
    }

    /**
     * One authorization at a time: calls arriving while one is under way (a token request, when
     * the token is missing or due for renewal) share its outcome instead of each asking auth-service
     * for a token of their own, as a thousand handshakes after a restart otherwise would. The
     * gateway has one client and one principal, so every request is the same request.
     */
    static final class OneAtATime implements ReactiveOAuth2AuthorizedClientManager {

        private final ReactiveOAuth2AuthorizedClientManager delegate;
        private final AtomicReference<Mono<OAuth2AuthorizedClient>> inFlight = new AtomicReference<>();

        OneAtATime(ReactiveOAuth2AuthorizedClientManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public Mono<OAuth2AuthorizedClient> authorize(OAuth2AuthorizeRequest request) {
            return Mono.defer(() -> {
                Mono<OAuth2AuthorizedClient> running = inFlight.get();
                if (running != null) {
                    return running;
                }
                AtomicReference<Mono<OAuth2AuthorizedClient>> self = new AtomicReference<>();
                Mono<OAuth2AuthorizedClient> started = delegate.authorize(request)
                        .doFinally(signal -> inFlight.compareAndSet(self.get(), null))
                        .cache();
                self.set(started);
                Mono<OAuth2AuthorizedClient> witness = inFlight.compareAndExchange(null, started);
                return witness != null ? witness : started;
            });
        }
    }
}
