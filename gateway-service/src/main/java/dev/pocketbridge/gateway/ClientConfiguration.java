package dev.pocketbridge.gateway;

import java.time.Clock;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.oauth2.client.RemoveAuthorizedClientReactiveOAuth2AuthorizationFailureHandler;
import org.springframework.security.oauth2.client.web.reactive.function.client.ServerOAuth2AuthorizedClientExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;

import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;

/**
 * The {@link WebClient}s for service-to-service calls: {@code internalWebClient} (handshake
 * lookups, positions, replay) carries the gateway's service token ({@link ServiceTokens}), dropped
 * when a service answers 401 or 403; {@code plainWebClient} (readiness probes on the management
 * ports, the token requests themselves) carries none.
 */
@Configuration(proxyBeanMethods = false)
class ClientConfiguration {

    @Bean
    WebClient plainWebClient(ClientProperties p) {
        return builder(p).build();
    }

    @Bean
    ServiceTokens serviceTokens(InternalClientProperties internal,
            @Qualifier("plainWebClient") WebClient plainWebClient, Clock clock) {
        return ServiceTokens.create(internal, plainWebClient, clock);
    }

    @Bean
    WebClient internalWebClient(ClientProperties p, ServiceTokens tokens) {
        ServerOAuth2AuthorizedClientExchangeFilterFunction oauth = new ServerOAuth2AuthorizedClientExchangeFilterFunction(
                tokens);
        oauth.setDefaultClientRegistrationId(ServiceTokens.REGISTRATION_ID);
        oauth.setAuthorizationFailureHandler(new RemoveAuthorizedClientReactiveOAuth2AuthorizationFailureHandler(
                (clientRegistrationId, principal, attributes) -> tokens.forget()));
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
}
