package dev.pocketbridge.web;

import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.servlet.HandlerExceptionResolver;

import dev.pocketbridge.common.codec.Json;

/**
 * Registers the request-id filter (first of all filters), the problem handlers, and the one JSON
 * configuration of the wire ({@link Json}: snake_case, absent members left out) in every servlet service.
 */
@AutoConfiguration
@Import(ProblemHandler.class)
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

    /** Tomcat's own refusals as problem details too ({@link ProblemErrorReportValve}). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.apache.catalina.valves.ErrorReportValve")
    static class TomcatErrors {

        /** Unordered, so it runs after Boot's customizer, whose HTML error valve it replaces. */
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
    }
}
