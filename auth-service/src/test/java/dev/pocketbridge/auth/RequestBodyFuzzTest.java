package dev.pocketbridge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.pocketbridge.common.JsonArbitraries;
import dev.pocketbridge.common.JsonArbitraries.Mutation;
import dev.pocketbridge.common.codec.Base64Url;
import dev.pocketbridge.common.crypto.Transcripts;
import dev.pocketbridge.testsupport.HttpTestClient;
import dev.pocketbridge.testsupport.HttpTestClient.Response;
import dev.pocketbridge.testsupport.RequestBodyFuzzing;
import dev.pocketbridge.testsupport.RequestBodyFuzzing.Encoding;
import dev.pocketbridge.testsupport.SpringTestContexts;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * The public JSON bodies of auth-service (challenge, token, refresh), each made valid for the try
 * and then mutated, sent over real HTTP: every answer is a 2xx or a 4xx problem detail with a code,
 * never a 5xx, and a refused request stores nothing.
 */
class RequestBodyFuzzTest extends AuthIntegrationTest {

    private static final String FORM = "application/x-www-form-urlencoded";
    private static final List<String> TABLES = List.of("challenges", "refresh_token_families", "refresh_tokens");

    private RequestBodyFuzzing fuzzing;

    @BeforeProperty
    void prepare() {
        SpringTestContexts.inject(this);
        resetCollaborators();
        fuzzing = new RequestBodyFuzzing(new HttpTestClient(() -> port), RequestBodyFuzzing.rowCounts(jdbc, TABLES));
    }

    @Property
    void challengeBodies(@ForAll boolean forToken, @ForAll("challengeMutations") Mutation mutation,
            @ForAll("encodings") Encoding encoding) {
        Map<String, Object> valid = forToken
                ? RequestBodyFuzzing.body("purpose", "token", "device_id", UUID.randomUUID().toString())
                : RequestBodyFuzzing.body("purpose", "register");
        fuzzing.send("POST", "/api/v1/auth/challenge", mutation.apply(valid), encoding);
    }

    @Property
    void tokenBodies(@ForAll("tokenMutations") Mutation mutation, @ForAll("encodings") Encoding encoding) {
        TestDevice device = registeredDevice();
        String challenge = tokenChallenge(device.deviceId());
        String signature = Base64Url.encode(device.keys().sign(Transcripts.token(device.deviceId(), challenge)));
        Map<String, Object> valid = RequestBodyFuzzing.body("device_id", device.deviceId(), "challenge", challenge, "signature", signature);
        fuzzing.send("POST", "/api/v1/auth/token", mutation.apply(valid), encoding);
    }

    @Property
    void refreshBodies(@ForAll("refreshMutations") Mutation mutation, @ForAll("encodings") Encoding encoding) {
        String token = login(registeredDevice()).text("refresh_token");
        fuzzing.send("POST", "/api/v1/auth/refresh", mutation.apply(RequestBodyFuzzing.body("refresh_token", token)), encoding);
    }

    /** Found by challengeBodies: a form body naming a parameter the firewall refuses was a 500. */
    @Example
    void aFormBodyWithAParameterNameTheFirewallRefusesIsABadRequest() {
        Response response = new HttpTestClient(() -> port).send("POST", "/api/v1/auth/challenge", FORM,
                "{\"purpose\":\"\u0001\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(HttpTestClient.problemCode(response, 400)).isEqualTo("invalid_request");
    }

    /** Found by refreshBodies: a form body that is not percent-encoding was a 500. */
    @Example
    void aFormBodyThatIsNotPercentEncodingIsABadRequest() {
        Response response = new HttpTestClient(() -> port).send("POST", "/api/v1/auth/refresh", FORM,
                "{\"refresh_token\":\"%\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(HttpTestClient.problemCode(response, 400)).isEqualTo("invalid_request");
    }

    @Provide
    Arbitrary<Mutation> challengeMutations() {
        return JsonArbitraries.mutations(List.of("purpose", "device_id"));
    }

    @Provide
    Arbitrary<Mutation> tokenMutations() {
        return JsonArbitraries.mutations(List.of("device_id", "challenge", "signature"));
    }

    @Provide
    Arbitrary<Mutation> refreshMutations() {
        return JsonArbitraries.mutations(List.of("refresh_token"));
    }

    @Provide
    Arbitrary<Encoding> encodings() {
        return RequestBodyFuzzing.encodings();
    }
}
