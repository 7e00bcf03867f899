package dev.pocketbridge.jpa.slowquery;

import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import net.ttddyy.dsproxy.support.ProxyDataSource;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;

/**
 * Slow statements of every service with a database, found in one place: each {@link DataSource}
 * bean is wrapped, once it is configured, in a datasource-proxy {@link ProxyDataSource} that tells
 * a {@link SlowQueryListener} of every statement. The pool stays reachable through
 * {@link DataSource#unwrap}, so Boot still publishes its HikariCP metrics.
 */
@AutoConfiguration
@ConditionalOnClass({DataSource.class, ProxyDataSourceBuilder.class})
@EnableConfigurationProperties(DatabaseProperties.class)
public class SlowQueryAutoConfiguration {

    @Bean
    static BeanPostProcessor slowQueryDataSources(ObjectProvider<DatabaseProperties> properties,
            ObjectProvider<MeterRegistry> meters) {
        return new SlowQueryDataSources(properties, meters);
    }

    @Bean
    MeterBinder slowQueryCounter() {
        return SlowQueryListener::counter;
    }

    /** Wraps each data source after its initialisation (and after its pool settings were bound). */
    private record SlowQueryDataSources(ObjectProvider<DatabaseProperties> properties,
            ObjectProvider<MeterRegistry> meters) implements BeanPostProcessor, Ordered {

        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            if (!(bean instanceof DataSource dataSource) || bean instanceof ProxyDataSource) {
                return bean;
            }
            return ProxyDataSourceBuilder.create(beanName, dataSource)
                    .listener(new SlowQueryListener(properties.getObject().slowQueryThreshold(), meters::getIfAvailable))
                    .build();
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
