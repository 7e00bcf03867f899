package dev.pocketbridge.web;

import static org.hamcrest.Matchers.hasLength;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;

import org.apache.tomcat.util.http.InvalidParameterException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;

class ProblemHandlerTest {

    record Body(@NotBlank String name) {
    }

    @RestController
    static class Sample {

        @GetMapping("/conflict")
        String conflict() {
            throw new ApiException(HttpStatus.CONFLICT, "device_name_taken", "name in use");
        }

        @GetMapping("/down")
        String down() {
            throw ApiException.unavailable("auth-service did not answer", Duration.ofSeconds(5));
        }

        @GetMapping("/bug")
        String bug() {
            throw new IllegalStateException("SELECT * FROM secrets at db-host-7");
        }

        @GetMapping("/undecodable")
        String undecodable() {
            throw new InvalidParameterException("Character decoding failed");
        }

        @GetMapping("/rejected")
        String rejected() {
            throw new RequestRejectedException("the parameter name is not allowed");
        }

        @PostMapping("/validated")
        String validated(@Valid @RequestBody Body body) {
            return body.name();
        }
    }

    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new Sample())
            .setControllerAdvice(new ProblemHandler(), new FirewallProblemHandler())
            .addFilters(new RequestIdFilter())
            .build();

    @Test
    void apiExceptionBecomesProblemDetailWithCodeAndEchoedRequestId() throws Exception {
        mvc.perform(get("/conflict").header(RequestIds.HEADER, "abc-123"))
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(header().string(RequestIds.HEADER, "abc-123"))
                .andExpect(jsonPath("$.type").value(Problems.TYPE_PREFIX + "device_name_taken"))
                .andExpect(jsonPath("$.title").value("Conflict"))
                .andExpect(jsonPath("$.status").value(409))
                .andExpect(jsonPath("$.detail").value("name in use"))
                .andExpect(jsonPath("$.code").value("device_name_taken"))
                .andExpect(jsonPath("$.request_id").value("abc-123"));
    }

    @Test
    void unsafeRequestIdIsReplaced() throws Exception {
        mvc.perform(get("/conflict").header(RequestIds.HEADER, "bad id\twith spaces"))
                .andExpect(header().string(RequestIds.HEADER, hasLength(36)))
                .andExpect(jsonPath("$.request_id").value(hasLength(36)));
    }

    @Test
    void unavailableCarriesRetryAfter() throws Exception {
        mvc.perform(get("/down"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "5"))
                .andExpect(jsonPath("$.code").value("unavailable"));
    }

    @Test
    void unexpectedErrorRevealsNothing() throws Exception {
        mvc.perform(get("/bug"))
                .andExpect(status().isInternalServerError())
                .andExpect(jsonPath("$.code").value("internal_error"))
                .andExpect(jsonPath("$.detail").value("an internal error occurred"));
    }

    @Test
    void validationAndUnreadableBodiesAreInvalidRequest() throws Exception {
        mvc.perform(post("/validated").contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("invalid_request"))
                .andExpect(jsonPath("$.detail").value("name must not be blank"));
        mvc.perform(post("/validated").contentType(MediaType.APPLICATION_JSON).content("{not json"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("invalid_request"));
    }

    /** Found by the request-body properties: a malformed form body on a JSON endpoint was a 500. */
    @Test
    void parametersThatCannotBeReadAreInvalidRequest() throws Exception {
        mvc.perform(get("/undecodable"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("invalid_request"));
        mvc.perform(get("/rejected"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("invalid_request"));
    }
}
