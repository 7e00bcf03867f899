package dev.pocketbridge.gateway.handshake;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.pocketbridge.common.codec.Json;
import dev.pocketbridge.common.internal.DeviceCredentials;
import dev.pocketbridge.common.internal.DeviceLookups;
import dev.pocketbridge.common.internal.InternalApi;
import dev.pocketbridge.gateway.ServiceUrls;
import dev.pocketbridge.gateway.batching.BatchedCalls;
import io.micrometer.core.instrument.MeterRegistry;
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
    private final String lookupsUri;
    private final BatchedCalls<String, DeviceLookup> lookups;
    private final AsyncCache<String, DeviceLookup> answers;

    DeviceDirectory(@Qualifier("internalWebClient") WebClient internalWebClient, ServiceUrls services,
            DeviceCacheProperties cache, MeterRegistry meters) {
        this.web = internalWebClient;
        this.lookupsUri = services.device().toString().replaceAll("/+$", "") + InternalApi.DEVICE_LOOKUPS;
        this.lookups = BatchedCalls.internal("device_lookups", meters, this::askAll);
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
        return lookups.get(deviceId).onErrorResume(e -> {
            log.warn("device lookup failed: {}", e.toString());
            return Mono.just(new DeviceLookup.Unavailable());
        });
    }

    /** The answer as kept for the device: its type one shared string (there are three), not a copy per device. */
    private static DeviceCredentials kept(DeviceCredentials device) {
        String type = device.deviceType();
        return type == null ? device : new DeviceCredentials(device.deviceId(), device.userId(), device.publicKey(),
                device.active(), device.tokensNotBefore(), type.intern());
    }

    /** One call for the lookups waiting together; every failure is {@code Unavailable} for all of them. */
    private Mono<List<DeviceLookup>> askAll(List<String> deviceIds) {
        long askedAt = System.nanoTime();
        List<DeviceLookup> unavailable = Collections.nCopies(deviceIds.size(), new DeviceLookup.Unavailable());
        return web.post().uri(lookupsUri)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Json.write(new DeviceLookups.Query(deviceIds)))
                .exchangeToMono(response -> {
                    if (response.statusCode().is2xxSuccessful()) {
                        return response.bodyToMono(String.class).map(json -> Json.read(json, DeviceLookups.Answer.class)
                                .devices().stream()
                                .map(device -> device == null ? new DeviceLookup.NotFound()
                                        : (DeviceLookup) new DeviceLookup.Found(kept(device), askedAt))
                                .toList());
                    }
                    log.warn("device-service answered {} to a device lookup", response.statusCode().value());
                    return response.releaseBody().thenReturn(unavailable);
                }).onErrorResume(e -> {
                    log.warn("device lookup failed: {}", e.toString());
                    return Mono.just(unavailable);
                });
    }
}
