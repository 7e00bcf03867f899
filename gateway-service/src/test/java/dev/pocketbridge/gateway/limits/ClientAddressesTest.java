package dev.pocketbridge.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

class ClientAddressesTest {

    private static ClientAddresses trusting(String... proxies) {
        return new ClientAddresses(new RateLimitProperties(Duration.ofMinutes(1), 1, 1, 1, 1, 1, List.of(proxies), 64,
                10));
    }

    private static MockServerHttpRequest from(String peer, String... forwardedFor) {
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("/x")
                .remoteAddress(new InetSocketAddress(ClientAddresses.literal(peer), 40000));
        for (String value : forwardedFor) {
            request.header(ClientAddresses.X_FORWARDED_FOR, value);
        }
        return request.build();
    }

    @Test
    void withoutTrustedProxiesThePeerIsTheClientWhateverItForwards() {
        ClientAddresses addresses = trusting();
        assertThat(addresses.of(from("192.0.2.7", "198.51.100.1")).getHostAddress()).isEqualTo("192.0.2.7");
    }

    @Test
    void behindTrustedProxiesTheNearestUntrustedHopIsTheClient() {
        ClientAddresses addresses = trusting("10.0.0.0/8", "2001:db8::1");
        assertThat(addresses.of(from("10.1.2.3", "203.0.113.5, 198.51.100.1, 10.9.9.9")).getHostAddress())
                .isEqualTo("198.51.100.1");
        assertThat(addresses.of(from("2001:db8::1", "198.51.100.1")).getHostAddress()).isEqualTo("198.51.100.1");
        // several headers count as one list, in order
        assertThat(addresses.of(from("10.1.2.3", "203.0.113.5", "198.51.100.2")).getHostAddress())
                .isEqualTo("198.51.100.2");
        // all hops trusted: the farthest one is the client
        assertThat(addresses.of(from("10.1.2.3", "10.0.0.1")).getHostAddress()).isEqualTo("10.0.0.1");
        // no header: the proxy itself
        assertThat(addresses.of(from("10.1.2.3")).getHostAddress()).isEqualTo("10.1.2.3");
        // garbage (or a host name, never looked up) stops the walk at the last vouched-for hop
        assertThat(addresses.of(from("10.1.2.3", "evil.example, not-an-ip")).getHostAddress()).isEqualTo("10.1.2.3");
    }

    @Test
    void ipv6ClientsAreCountedPerNetworkAndIpv4PerAddress() {
        ClientAddresses addresses = trusting();
        String a = addresses.key(ClientAddresses.literal("2001:db8:1:2:aaaa::1"));
        String b = addresses.key(ClientAddresses.literal("2001:db8:1:2:bbbb::2"));
        String c = addresses.key(ClientAddresses.literal("2001:db8:1:3::1"));
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
        assertThat(addresses.key(ClientAddresses.literal("192.0.2.1")))
                .isNotEqualTo(addresses.key(ClientAddresses.literal("192.0.2.2")));
        assertThat(addresses.key(ClientAddresses.literal("::ffff:192.0.2.1"))).isEqualTo("192.0.2.1");
    }

    @Test
    void aTrustedProxyThatIsNoAddressStopsTheStart() {
        assertThatThrownBy(() -> trusting("proxy.internal")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> trusting("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
    }
}
