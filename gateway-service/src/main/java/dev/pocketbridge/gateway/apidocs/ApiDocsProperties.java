package dev.pocketbridge.gateway.apidocs;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * The merged REST API description ({@code pocketbridge.gateway.api-docs}).
 *
 * @param path where every routed service serves its part, below the URI of its route
 * @param timeout how long a fetch of one part may take
 * @param refreshAfter how long fetched parts are served before the next request for the
 *        description fetches them again
 * @param locations where a service's part is instead, by route id (none by default)
 */
@Validated
@ConfigurationProperties("pocketbridge.gateway.api-docs")
record ApiDocsProperties(
        @NotBlank @DefaultValue("/v3/api-docs") String path,
        @NotNull @DefaultValue("3s") Duration timeout,
        @NotNull @DefaultValue("1m") Duration refreshAfter,
        @NotNull @DefaultValue Map<String, URI> locations) {
}
