package dev.pocketbridge.web;

import java.time.Clock;

import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.http.converter.autoconfigure.ServerHttpMessageConvertersCustomizer;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.converter.cbor.JacksonCborHttpMessageConverter;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import dev.pocketbridge.common.codec.Json;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Registers in every servlet service: the request-id filter (first of all filters), the body limit
 * filter right after it, the caller's ids in the logging context, the problem handlers (also for
 * what the firewall and Tomcat refuse before any handler), the one JSON configuration of the wire
 * ({@link Json}: snake_case, absent members left out) with read constraints for request bodies, in the services
 * that verify access tokens the per-user rate limit, the {@link ServiceCredentials} of those that
 * call others, bounded waits for JWK set fetches, each distinct bearer token verified once
 * ({@link VerifiedTokens}), the service's part of the REST API description
 * ({@link ApiDescriptionConfiguration}), and Tomcat's responses written to the socket
 * {@link #RESPONSE_WRITE_BYTES} at a time.
 */
@AutoConfiguration
@Import({ProblemHandler.class, ServiceCredentialsConfiguration.class, KeySetConfiguration.class,
        VerifiedTokensConfiguration.class, ApiDescriptionConfiguration.class})
@EnableConfigurationProperties({BodyLimitProperties.class, RateLimitProperties.class})
public class ServiceWebAutoConfiguration {

    /** The bytes of a response Tomcat writes to its socket at once ({@link Tomcat#largeResponseWrites}). */
    public static final int RESPONSE_WRITE_BYTES = 64 * 1024;

    @Bean
    FilterRegistrationBean<RequestIdFilter> requestIdFilter() {
        FilterRegistrationBean<RequestIdFilter> registration = new FilterRegistrationBean<>(new RequestIdFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    FilterRegistrationBean<BodyLimitFilter> bodyLimitFilter(BodyLimitProperties properties,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
        FilterRegistrationBean<BodyLimitFilter> registration = new FilterRegistrationBean<>(
                new BodyLimitFilter(properties, resolver));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    @Bean
    JsonMapperBuilderCustomizer pocketBridgeJson() {
        return Json::configure;
    }

    /**
     * Request bodies are read by a mapper configured like every other (all Jackson customizers) but
     * with read constraints sized from the body limits; ordered after Boot's own JSON converter so
     * it replaces it on the server side. Clients (RestClient) keep the unconstrained one. The REST APIs
     * speak JSON only: no CBOR converter.
     */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    ServerHttpMessageConvertersCustomizer constrainedJsonRequests(BodyLimitProperties limits,
            ObjectProvider<JsonMapperBuilderCustomizer> customizers) {
        BodyLimitProperties.Json json = limits.json();
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxDocumentLength(BodyLimitFilter.largest(limits))
                .maxNestingDepth(json.maxNestingDepth())
                .maxStringLength(json.maxStringLength())
                .maxNumberLength(json.maxNumberLength())
                .maxNameLength(json.maxNameLength())
                .maxTokenCount(json.maxTokenCount())
                .build();
        JsonMapper.Builder builder = JsonMapper.builder(JsonFactory.builder().streamReadConstraints(constraints).build());
        customizers.orderedStream().forEach(c -> c.customize(builder));
        JacksonJsonHttpMessageConverter converter = new JacksonJsonHttpMessageConverter(builder);
        // JSON only: Spring would add a CBOR converter (with another mapper's settings) wherever Jackson's
        // CBOR format is present, as in event-service, which writes CBOR replay pages itself (§3.4).
        return server -> server.withJsonConverter(converter)
                .configureMessageConvertersList(list -> list.removeIf(JacksonCborHttpMessageConverter.class::isInstance));
    }

    /** The per-user limit, where Spring Security's resource server puts verified tokens in the context. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.security.oauth2.jwt.Jwt")
    static class UserRateLimitConfiguration implements WebMvcConfigurer {

        private final UserRateLimitInterceptor interceptor;

        UserRateLimitConfiguration(RateLimitProperties properties, Clock clock) {
            this.interceptor = new UserRateLimitInterceptor(new TokenBuckets(properties.perUser(), properties.period(),
                    properties.maxTrackedUsers(), clock));
        }

        @Override
        public void addInterceptors(InterceptorRegistry registry) {
            registry.addInterceptor(interceptor).addPathPatterns("/api/**");
        }
    }

    /** The caller's ids in the logging context of every request, and a DEBUG line per request ({@link RequestLogContext}). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.security.oauth2.jwt.Jwt")
    static class RequestLogging implements WebMvcConfigurer {

        @Override
        public void addInterceptors(InterceptorRegistry registry) {
            registry.addInterceptor(new RequestLogContext());
        }
    }

    /**
     * Requests Spring Security's firewall refuses before any handler (a {@code %25} or {@code ;} in
     * the path, say) answered through the MVC exception handling, like those it refuses later.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.security.web.firewall.RequestRejectedHandler")
    @Import(FirewallProblemHandler.class)
    static class Firewall {

        @Bean
        RequestRejectedHandler problemRequestRejectedHandler(
                @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
            return (request, response, e) -> resolver.resolveException(request, response, null, e);
        }
    }

    /** What the services' Tomcat does beyond Boot's settings. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.apache.catalina.valves.ErrorReportValve")
    static class Tomcat {

        /**
         * Tomcat's own refusals as problem details too ({@link ProblemErrorReportValve}). Unordered,
         * so it runs after Boot's customizer, whose HTML error valve it replaces.
         */
        @Bean
        WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> problemErrorReports() {
            return factory -> factory.addContextCustomizers(context -> {
                StandardHost host = (StandardHost) context.getParent();
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                // Named too, or the host would add Tomcat's own valve when it starts.
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                host.getPipeline().addValve(new ProblemErrorReportValve());
            });
        }

        /**
         * Responses written to the socket {@link #RESPONSE_WRITE_BYTES} at a time. Tomcat writes a
         * response one buffer at a time, 8 KiB unless told otherwise: a replay page of about 1.2 MB
         * took some 150 writes, each a system call and a TCP segment of its own for this service and
         * its caller (the gateway) to handle; those writes were a sixth of event-service's CPU in a
         * catch-up, and the gateway's reads of them a tenth of its own (docs/performance.md,
         * "Catch-up: fewer, larger writes, and the next page asked for sooner"). The buffer is one
         * per connection, and these services hold few: their callers are the gateway and each other,
         * over pooled connections.
         */
        @Bean
        WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> largeResponseWrites() {
            return factory -> factory.addConnectorCustomizers(connector -> connector.setProperty(
                    "socket.appWriteBufSize", Integer.toString(RESPONSE_WRITE_BYTES)));
        }
    }
}
