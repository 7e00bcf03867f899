package dev.pocketbridge.event.access;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.pocketbridge.common.internal.DeviceCredentials;
import dev.pocketbridge.common.internal.InternalApi;
import dev.pocketbridge.web.ApiException;
import dev.pocketbridge.web.InternalClients;
import dev.pocketbridge.web.ServiceCredentials;

/**
 * Looks devices up in device-service's internal API ({@link InternalApi#DEVICE}, with this
 * service's service token); device-service owns devices, event-service keeps no copy. An answer
 * (found or not found) is reused for {@code cache-ttl} (at most 1 s, by the service clock); a
 * failure is never cached.
 */
@Component
class DeviceDirectory {

    private static final Logger log = LoggerFactory.getLogger(DeviceDirectory.class);
    private static final int MAX_CACHED_DEVICES = 100_000;

    private final RestClient client;
    private final DeviceServiceProperties properties;
    private final Cache<UUID, Optional<DeviceCredentials>> cache;

    DeviceDirectory(RestClient.Builder builder, ServicesProperties services, DeviceServiceProperties properties,
            ServiceCredentials credentials, Clock clock) {
        this.properties = properties;
        this.client = InternalClients.restClient(builder, services.device(), properties.connectTimeout(),
                properties.readTimeout(), credentials);
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(properties.cacheTtl())
                .maximumSize(properties.cacheTtl().isZero() ? 0 : MAX_CACHED_DEVICES)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .build();
    }

    /**
     * The device's credentials, or empty when device-service does not know it (removed, or its user deleted).
     *
     * @throws ApiException {@code 503 unavailable} when device-service cannot answer
     */
    Optional<DeviceCredentials> find(UUID deviceId) {
        return cache.get(deviceId, this::lookUp);
    }

    private Optional<DeviceCredentials> lookUp(UUID deviceId) {
        try {
            return client.get().uri(InternalApi.DEVICE, deviceId.toString()).exchange((request, response) -> {
                if (response.getStatusCode().value() == HttpStatus.NOT_FOUND.value()) {
                    return Optional.<DeviceCredentials>empty();
                }
                if (!response.getStatusCode().is2xxSuccessful()) {
                    log.warn("device-service answered {} to a device lookup", response.getStatusCode().value());
                    throw unavailable();
                }
                return Optional.ofNullable(response.bodyTo(DeviceCredentials.class));
            });
        } catch (RestClientException e) {
            log.warn("device-service unreachable: {}", e.getMessage());
            throw unavailable();
        }
    }

    private ApiException unavailable() {
        return ApiException.unavailable("the device directory is unavailable, retry later", properties.retryAfter());
    }
}
