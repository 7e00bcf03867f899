package dev.pocketbridge.auth.device;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

import dev.pocketbridge.common.internal.DeviceCredentials;
import dev.pocketbridge.common.internal.InternalApi;
import dev.pocketbridge.web.ApiException;
import dev.pocketbridge.web.InternalClients;
import dev.pocketbridge.web.ServiceCredentials;

/** Looks devices up in device-service's internal API; device-service owns devices, auth-service keeps no copy. */
@Component
public class DeviceDirectory {

    private static final Logger log = LoggerFactory.getLogger(DeviceDirectory.class);

    private final RestClient client;
    private final DeviceServiceProperties properties;

    DeviceDirectory(RestClient.Builder builder, ServicesProperties services, DeviceServiceProperties properties,
            ServiceCredentials credentials) {
        this.properties = properties;
        this.client = InternalClients.restClient(builder, services.device(), properties.connectTimeout(),
                properties.readTimeout(), credentials);
    }

    /**
     * The device's credentials, or empty when device-service does not know it.
     *
     * @throws ApiException {@code 503 unavailable} when device-service cannot answer
     */
    public Optional<DeviceCredentials> find(String deviceId) {
        try {
            return client.get().uri(InternalApi.DEVICE, deviceId).exchange((request, response) -> {
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

    /** The device's credentials when device-service knows it and it is active (not revoked or deleted). */
    public Optional<DeviceCredentials> findActive(String deviceId) {
        return find(deviceId).filter(DeviceCredentials::active);
    }

    private ApiException unavailable() {
        return ApiException.unavailable("the device directory is unavailable, retry later", properties.retryAfter());
    }
}
