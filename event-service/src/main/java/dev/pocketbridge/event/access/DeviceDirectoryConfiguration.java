package dev.pocketbridge.event.access;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

import dev.pocketbridge.web.DeviceDirectory;
import dev.pocketbridge.web.InternalClients;
import dev.pocketbridge.web.ServiceCredentials;

/** device-service's internal API ({@link DeviceDirectory}) as this service reaches it. */
@Configuration(proxyBeanMethods = false)
class DeviceDirectoryConfiguration {

    @Bean
    DeviceDirectory deviceDirectory(RestClient.Builder builder, ServicesProperties services,
            DeviceServiceProperties properties, ServiceCredentials credentials, Clock clock) {
        return new DeviceDirectory(InternalClients.restClient(builder, services.device(), properties.connectTimeout(),
                properties.readTimeout(), credentials), properties.cacheTtl(), properties.retryAfter(), clock);
    }
}
