package dev.pocketbridge.gateway.handshake;

import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.internal.DeviceCredentials;
import dev.pocketbridge.common.internal.InternalApi;
import dev.pocketbridge.gateway.ServiceUrls;
import reactor.core.publisher.Mono;

/**
 * Looks up a device's key and state at device-service's internal API; never errors, see
 * {@link DeviceLookup}. An answer that found the device is kept for later handshakes of it on this
 * node ({@link DeviceCacheProperties}), so a device that reconnects costs no round trip; every
 * account change this node hears of ({@link #forgetDevice}, {@link #forgetUser}) ends it at once.
 * The kept answer carries when it was asked for ({@link DeviceLookup.Found#askedAtNanos}), and a
 * session registered on it is closed if its device or user changed since then, exactly as a
 * session whose lookup was in flight during the change.
 *
 * <p>Lookups in flight are shared by concurrent handshakes of the device and are in the cache
 * from the start, so a change that forgets the device also drops the answer still on its way: it
 * is never kept. Only {@code Found} is kept: a device not found may be registered a moment later,
 * and an unavailable device-service is asked again.
 */
@Component
public class DeviceDirectory {

    private static final Logger log = LoggerFactory.getLogger(DeviceDirectory.class);

    private final WebClient web;
    private final String deviceUri;
    private final AsyncCache<String, DeviceLookup> answers;

    DeviceDirectory(@Qualifier("internalWebClient") WebClient internalWebClient, ServiceUrls services,
            DeviceCacheProperties cache) {
        this.web = internalWebClient;
        this.deviceUri = services.device().toString().replaceAll("/+$", "") + InternalApi.DEVICE;
        this.answers = Caffeine.newBuilder()
                .expireAfterWrite(cache.ttl())
                .maximumSize(cache.ttl().isZero() ? 0 : cache.maxDevices())
                .buildAsync();
    }

    public Mono<DeviceLookup> lookup(String deviceId) {
        CompletableFuture<DeviceLookup> answer = answers.get(deviceId, (id, executor) -> ask(id).toFuture());
        return Mono.fromFuture(answer, true).doOnNext(result -> {
            if (!(result instanceof DeviceLookup.Found)) {
                answers.asMap().remove(deviceId, answer);
            }
        });
    }

    /** The device was revoked, restored or removed: the next handshake of it asks device-service. */
    public void forgetDevice(String deviceId) {
        answers.synchronous().invalidate(deviceId);
    }

    /**
     * The user was deleted: no answer about one of its devices is kept, nor any still on its way
     * (which device it is about is known only once it arrives).
     */
    public void forgetUser(String userId) {
        answers.asMap().values().removeIf(answer -> !answer.isDone()
                || answer.getNow(null) instanceof DeviceLookup.Found(DeviceCredentials device, long at)
                        && userId.equals(device.userId()));
    }

    private Mono<DeviceLookup> ask(String deviceId) {
        long askedAt = System.nanoTime();
        return web.get().uri(deviceUri, deviceId).exchangeToMono(response -> {
            if (response.statusCode().is2xxSuccessful()) {
                return response.bodyToMono(String.class).map(json -> (DeviceLookup) new DeviceLookup.Found(
                        Json.read(json, DeviceCredentials.class), askedAt));
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
