package dev.pocketbridge.web;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.JwkSetUriJwtDecoderBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestTemplate;

/** Bounded waits for the JWK set fetches of the services that verify tokens against auth-service's key set. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(JwkSetUriJwtDecoderBuilderCustomizer.class)
@EnableConfigurationProperties(KeySetProperties.class)
class KeySetConfiguration {

    @Bean
    JwkSetUriJwtDecoderBuilderCustomizer keySetTimeouts(KeySetProperties properties) {
        RestTemplate rest = new RestTemplate(
                InternalClients.requestFactory(properties.connectTimeout(), properties.readTimeout()));
        return builder -> builder.restOperations(rest);
    }
}
