package dev.pocketbridge.web;

import java.time.Clock;
import java.time.Duration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/** Every service's {@link JwtDecoder}, Boot's or its own, verifies a token once ({@link VerifiedTokens}). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(JwtDecoder.class)
class VerifiedTokensConfiguration {

    /** Longer than any service token's life would gain little; shorter would verify the busiest token more often. */
    static final Duration MAX_AGE = Duration.ofMinutes(5);
    static final long MAX_TOKENS = 10_000;

    @Bean
    static BeanPostProcessor verifiedTokens(ObjectProvider<Clock> clock) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof JwtDecoder decoder && !(bean instanceof VerifiedTokens)) {
                    return new VerifiedTokens(decoder, MAX_AGE, MAX_TOKENS, clock.getIfAvailable(Clock::systemUTC));
                }
                return bean;
            }
        };
    }
}
