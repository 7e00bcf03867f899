package dev.pocketbridge.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;

import dev.pocketbridge.common.codec.Json;

/**
 * Registers the request-id filter (first of all filters), the problem handler, the one JSON
 * configuration of the wire ({@link Json}: snake_case, absent members left out) in every servlet
 * service, the {@link ServiceCredentials} of those that call others, and bounded waits for JWK set fetches.
 */
@AutoConfiguration
@Import({ProblemHandler.class, ServiceCredentialsConfiguration.class, KeySetConfiguration.class})
public class ServiceWebAutoConfiguration {

    @Bean
    FilterRegistrationBean<RequestIdFilter> requestIdFilter() {
        FilterRegistrationBean<RequestIdFilter> registration = new FilterRegistrationBean<>(new RequestIdFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    JsonMapperBuilderCustomizer pocketBridgeJson() {
        return Json::configure;
    }
}
