package dev.pocketbridge.gateway.handshake;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.internal.DeviceCredentials;
import dev.pocketbridge.common.internal.InternalApi;
import dev.pocketbridge.gateway.ServiceUrls;
import reactor.core.publisher.Mono;

/** Looks up a device's key and state at device-service's internal API; never errors, see {@link DeviceLookup}. */
@Component
public class DeviceDirectory {

    private static final Logger log = LoggerFactory.getLogger(DeviceDirectory.class);

    private final WebClient web;
    private final String deviceUri;

    DeviceDirectory(@Qualifier("internalWebClient") WebClient internalWebClient, ServiceUrls services) {
        this.web = internalWebClient;
        this.deviceUri = services.device().toString().replaceAll("/+$", "") + InternalApi.DEVICE;
    }

    public Mono<DeviceLookup> lookup(String deviceId) {
        return web.get().uri(deviceUri, deviceId).exchangeToMono(response -> {
            if (response.statusCode().is2xxSuccessful()) {
                return response.bodyToMono(String.class)
                        .map(json -> (DeviceLookup) new DeviceLookup.Found(Json.read(json, DeviceCredentials.class)));
            }
            if (response.statusCode().value() == HttpStatus.NOT_FOUND.value()) {
                return response.releaseBody().thenReturn((DeviceLookup) new DeviceLookup.NotFound());
            }
            log.warn("device-service answered {} to a device lookup", response.statusCode().value());
            return response.releaseBody().thenReturn((DeviceLookup) new DeviceLookup.Unavailable());
        }).onErrorResume(e -> {
            log.warn("device lookup failed: {}", e.toString());
            return Mono.just(new DeviceLookup.Unavailable());
        });
    }
}
