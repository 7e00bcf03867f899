package dev.pocketbridge.web;

import java.io.IOException;
import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ClientCredentialsOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.endpoint.RestClientClientCredentialsTokenResponseClient;
import org.springframework.security.oauth2.client.http.OAuth2ErrorResponseErrorHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.client.OAuth2ClientHttpRequestInterceptor;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.security.oauth2.core.http.converter.OAuth2AccessTokenResponseHttpMessageConverter;
import org.springframework.web.client.RestClient;

import dev.pocketbridge.common.internal.InternalApi;

/**
 * {@link ServiceCredentials} from Spring Security's OAuth 2.0 client: a client-credentials token
 * from auth-service, cached and renewed {@code renew-before} its expiry, dropped when a service
 * answers 401 or 403. Only in the services that call others (they have the OAuth 2.0 client on
 * their class path) and only where the service brings no credentials of its own (auth-service
 * issues its own tokens).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(OAuth2ClientHttpRequestInterceptor.class)
@ConditionalOnMissingBean(ServiceCredentials.class)
@EnableConfigurationProperties(ServiceClientProperties.class)
class ServiceCredentialsConfiguration {

    static final String REGISTRATION_ID = "pocketbridge-internal";

    @Bean
    ServiceCredentials serviceCredentials(ServiceClientProperties properties, Clock clock) {
        ClientRegistration registration = ClientRegistration.withRegistrationId(REGISTRATION_ID)
                .clientId(properties.clientId())
                .clientSecret(properties.clientSecret())
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scope(InternalApi.SERVICE_SCOPE)
                .tokenUri(properties.tokenUri().toString())
                .build();
        InMemoryClientRegistrationRepository registrations = new InMemoryClientRegistrationRepository(registration);
        InMemoryOAuth2AuthorizedClientService authorizedClients = new InMemoryOAuth2AuthorizedClientService(
                registrations);

        // The client's defaults, with bounded waits.
        RestClientClientCredentialsTokenResponseClient tokenClient = new RestClientClientCredentialsTokenResponseClient();
        tokenClient.setRestClient(RestClient.builder()
                .requestFactory(InternalClients.requestFactory(properties.connectTimeout(), properties.readTimeout()))
                .configureMessageConverters(c -> {
                    c.addCustomConverter(new FormHttpMessageConverter());
                    c.addCustomConverter(new OAuth2AccessTokenResponseHttpMessageConverter());
                })
                .defaultStatusHandler(new OAuth2ErrorResponseErrorHandler())
                .build());
        ClientCredentialsOAuth2AuthorizedClientProvider provider = new ClientCredentialsOAuth2AuthorizedClientProvider();
        provider.setAccessTokenResponseClient(tokenClient);
        provider.setClock(clock);
        provider.setClockSkew(properties.renewBefore());
        AuthorizedClientServiceOAuth2AuthorizedClientManager manager =
                new AuthorizedClientServiceOAuth2AuthorizedClientManager(registrations, authorizedClients);
        manager.setAuthorizedClientProvider(provider);
        // One token request at a time: callers arriving while the token is renewed wait for it
        // instead of each asking for their own (the cached case is a map lookup).
        OAuth2AuthorizedClientManager oneAtATime = request -> {
            synchronized (manager) {
                return manager.authorize(request);
            }
        };

        // The token is this service's, whoever's request made the call.
        Authentication service = new AnonymousAuthenticationToken(REGISTRATION_ID, properties.clientId(),
                AuthorityUtils.createAuthorityList("ROLE_SERVICE"));
        OAuth2ClientHttpRequestInterceptor interceptor = new OAuth2ClientHttpRequestInterceptor(oneAtATime);
        interceptor.setClientRegistrationIdResolver(request -> REGISTRATION_ID);
        interceptor.setPrincipalResolver(request -> service);
        interceptor.setAuthorizationFailureHandler(
                OAuth2ClientHttpRequestInterceptor.authorizationFailureHandler(authorizedClients));
        return (request, body, execution) -> {
            try {
                return interceptor.intercept(request, body, execution);
            } catch (OAuth2AuthorizationException e) {
                throw new IOException("no service token from auth-service: " + e.getMessage(), e);
            }
        };
    }
}
