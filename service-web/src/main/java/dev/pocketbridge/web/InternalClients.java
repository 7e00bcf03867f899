package dev.pocketbridge.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * How a servlet service calls another service's internal API: a base URL, bounded waits (never an
 * unbounded hang) and the caller's {@link ServiceCredentials} on every request.
 */
public final class InternalClients {

    private InternalClients() {
    }

    public static RestClient restClient(RestClient.Builder builder, URI baseUrl, Duration connectTimeout,
            Duration readTimeout, ServiceCredentials credentials) {
        return builder.clone()
                .baseUrl(baseUrl.toString())
                .requestFactory(requestFactory(connectTimeout, readTimeout))
                .requestInterceptor(credentials)
                .build();
    }

    static ClientHttpRequestFactory requestFactory(Duration connectTimeout, Duration readTimeout) {
        JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().connectTimeout(connectTimeout).build());
        requestFactory.setReadTimeout(readTimeout);
        return requestFactory;
    }
}
