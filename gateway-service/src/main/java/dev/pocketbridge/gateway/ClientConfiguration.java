package dev.pocketbridge.gateway;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;

/** The {@link WebClient} for service-to-service calls (handshake lookups, positions, replay, health). */
@Configuration(proxyBeanMethods = false)
class ClientConfiguration {

    @Bean
    WebClient internalWebClient(ClientProperties p) {
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) p.connectTimeout().toMillis())
                .responseTimeout(p.responseTimeout());
        return WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(http))
                .codecs(c -> c.defaultCodecs().maxInMemorySize(p.maxResponseBytes()))
                .build();
    }
}
