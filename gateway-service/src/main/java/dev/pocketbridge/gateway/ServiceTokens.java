package dev.pocketbridge.gateway;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.client.AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ClientCredentialsReactiveOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.InMemoryReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.endpoint.WebClientReactiveClientCredentialsTokenResponseClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.web.reactive.function.client.WebClient;

import dev.pocketbridge.common.internal.InternalApi;
import reactor.core.publisher.Mono;

/**
 * The gateway's one service token, through Spring Security's OAuth 2.0 client: a client-credentials
 * token from auth-service, cached and renewed {@code renew-before} its expiry. Every authorization
 * is the gateway's own, whoever's session asked, and runs one at a time: calls arriving while a token
 * is fetched share that fetch instead of each asking auth-service (a thousand handshakes after a
 * restart otherwise would). The token is fetched once at start so the first handshakes do not wait.
 */
final class ServiceTokens implements ReactiveOAuth2AuthorizedClientManager,
        ApplicationListener<ApplicationReadyEvent> {

    static final String REGISTRATION_ID = "pocketbridge-internal";
    private static final Logger log = LoggerFactory.getLogger(ServiceTokens.class);

    private final Authentication principal;
    private final ReactiveOAuth2AuthorizedClientService authorizedClients;
    private final ReactiveOAuth2AuthorizedClientManager manager;
    private final AtomicReference<Mono<OAuth2AuthorizedClient>> inFlight = new AtomicReference<>();

    ServiceTokens(ReactiveOAuth2AuthorizedClientManager manager, ReactiveOAuth2AuthorizedClientService authorizedClients,
            String clientId) {
        this.manager = manager;
        this.authorizedClients = authorizedClients;
        this.principal = new AnonymousAuthenticationToken(REGISTRATION_ID, clientId,
                AuthorityUtils.createAuthorityList("ROLE_SERVICE"));
    }

    /** Tokens of the configured client from auth-service's token endpoint, requested through {@code plainWebClient}. */
    static ServiceTokens create(InternalClientProperties properties, WebClient plainWebClient, Clock clock) {
        ClientRegistration registration = ClientRegistration.withRegistrationId(REGISTRATION_ID)
                .clientId(properties.clientId())
                .clientSecret(properties.clientSecret())
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scope(InternalApi.SERVICE_SCOPE)
                .tokenUri(properties.tokenUri().toString())
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
        provider.setClockSkew(properties.renewBefore());
        AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager manager =
                new AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager(registrations, authorizedClients);
        manager.setAuthorizedClientProvider(provider);
        return new ServiceTokens(manager, authorizedClients, properties.clientId());
    }

    @Override
    public Mono<OAuth2AuthorizedClient> authorize(OAuth2AuthorizeRequest ignored) {
        return Mono.defer(() -> {
            Mono<OAuth2AuthorizedClient> running = inFlight.get();
            if (running != null) {
                return running;
            }
            AtomicReference<Mono<OAuth2AuthorizedClient>> self = new AtomicReference<>();
            Mono<OAuth2AuthorizedClient> started = manager.authorize(OAuth2AuthorizeRequest
                            .withClientRegistrationId(REGISTRATION_ID).principal(principal).build())
                    .doFinally(signal -> inFlight.compareAndSet(self.get(), null))
                    .cache();
            self.set(started);
            Mono<OAuth2AuthorizedClient> witness = inFlight.compareAndExchange(null, started);
            return witness != null ? witness : started;
        });
    }

    /** Drops the cached token (a service refused it): the next call fetches a new one. */
    Mono<Void> forget() {
        return authorizedClients.removeAuthorizedClient(REGISTRATION_ID, principal.getName());
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        authorize(null).subscribe(
                client -> log.info("service token obtained from auth-service"),
                e -> log.warn("no service token from auth-service yet (fetched again on the first internal call): {}",
                        e.getMessage()));
    }
}
