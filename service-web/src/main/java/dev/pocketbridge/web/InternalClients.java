package dev.pocketbridge.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/** How a servlet service calls another service's internal API: a base URL and bounded waits, never an unbounded hang. */
public final class InternalClients {

    private InternalClients() {
    }

    public static RestClient restClient(RestClient.Builder builder, URI baseUrl, Duration connectTimeout,
            Duration readTimeout) {
        JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().connectTimeout(connectTimeout).build());
        requestFactory.setReadTimeout(readTimeout);
        return builder.clone().baseUrl(baseUrl.toString()).requestFactory(requestFactory).build();
    }
}
