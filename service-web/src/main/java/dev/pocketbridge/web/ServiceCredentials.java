package dev.pocketbridge.web;

import org.springframework.http.client.ClientHttpRequestInterceptor;

/**
 * Puts this service's credential, a service token (see
 * {@link dev.pocketbridge.common.internal.InternalApi#SERVICE_TOKEN}), on each call to another
 * service's internal API. When no token can be had, the call fails with an {@link java.io.IOException},
 * which a {@code RestClient} reports as a {@code ResourceAccessException} like an unreachable service.
 */
@FunctionalInterface
public interface ServiceCredentials extends ClientHttpRequestInterceptor {
}
