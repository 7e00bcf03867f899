package dev.pocketbridge.gateway.limits;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

import io.netty.util.NetUtil;

/**
 * Who a request comes from, for per-address limits. The TCP peer, unless the peer is one of the
 * configured {@code trusted-proxies}: then {@code X-Forwarded-For} is read from the right (the
 * entry the nearest proxy appended) and the first address that is not a trusted proxy is the
 * client. Entries left of it are the client's own claims and never believed, so a client cannot
 * pick the address it is counted under. Addresses are parsed as literals only (never looked up).
 */
@Component
public class ClientAddresses {

    static final String X_FORWARDED_FOR = "X-Forwarded-For";

    private record Block(byte[] network, int prefix) {

        boolean contains(byte[] address) {
            return address.length == network.length && samePrefix(address, network, prefix);
        }
    }

    private final List<Block> trusted = new ArrayList<>();
    private final int ipv6PrefixLength;

    public ClientAddresses(RateLimitProperties properties) {
        for (String entry : properties.trustedProxies()) {
            trusted.add(block(entry.strip()));
        }
        this.ipv6PrefixLength = properties.ipv6PrefixLength();
    }

    /** The client's address, or null when the request has none (not over TCP). */
    public InetAddress of(ServerHttpRequest request) {
        return of(request.getRemoteAddress(), request.getHeaders());
    }

    /** The client's address from the TCP peer and the request headers (a WebSocket upgrade's too), or null. */
    public InetAddress of(InetSocketAddress remote, HttpHeaders headers) {
        InetAddress peer = remote == null ? null : remote.getAddress();
        if (peer == null || !isTrusted(peer)) {
            return peer;
        }
        List<String> forwarded = new ArrayList<>();
        for (String header : headers.getOrDefault(X_FORWARDED_FOR, List.of())) {
            for (String entry : header.split(",")) {
                forwarded.add(entry.strip());
            }
        }
        InetAddress client = peer;
        for (int i = forwarded.size() - 1; i >= 0; i--) {
            InetAddress hop = literal(forwarded.get(i));
            if (hop == null) {
                break; // garbage from the client: the last hop a trusted proxy vouched for is the client
            }
            client = hop;
            if (!isTrusted(hop)) {
                break;
            }
        }
        return client;
    }

    /**
     * The key {@code address} is counted under: an IPv4 address itself, an IPv6 address by its
     * network of {@code ipv6-prefix-length} bits.
     */
    public String key(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] bytes = address.getAddress();
        byte[] network = new byte[bytes.length];
        for (int bit = 0; bit < ipv6PrefixLength; bit++) {
            network[bit / 8] |= (byte) (bytes[bit / 8] & (0x80 >>> (bit % 8)));
        }
        return HexFormat.of().formatHex(network) + "/" + ipv6PrefixLength;
    }

    private boolean isTrusted(InetAddress address) {
        byte[] bytes = address.getAddress();
        for (Block block : trusted) {
            if (block.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    private static Block block(String entry) {
        int slash = entry.indexOf('/');
        InetAddress address = literal(slash < 0 ? entry : entry.substring(0, slash));
        if (address == null) {
            throw new IllegalArgumentException("trusted-proxies: not an IP address or CIDR block: " + entry);
        }
        int bits = address.getAddress().length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? bits : Integer.parseInt(entry.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("trusted-proxies: bad prefix length in " + entry, e);
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("trusted-proxies: prefix length out of range in " + entry);
        }
        return new Block(address.getAddress(), prefix);
    }

    /** {@code text} as an IPv4 or IPv6 literal (IPv4-mapped IPv6 as IPv4), or null; never a DNS lookup. */
    static InetAddress literal(String text) {
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text);
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean samePrefix(byte[] a, byte[] b, int prefix) {
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((a[bit / 8] & mask) != (b[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }
}
