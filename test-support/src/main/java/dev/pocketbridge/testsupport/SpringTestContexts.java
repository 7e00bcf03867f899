package dev.pocketbridge.testsupport;

import org.springframework.test.context.TestContextManager;

/**
 * Spring's test context for engines without Spring's JUnit Jupiter extension, such as jqwik's
 * properties: loads the context the test class's annotations describe, or reuses it from the
 * cache the Jupiter tests of the JVM share, and injects the instance ({@code @Autowired},
 * {@code @LocalServerPort}).
 */
public final class SpringTestContexts {

    private SpringTestContexts() {
    }

    /** Call once per test instance before using it (jqwik: in a {@code @BeforeProperty} method). */
    public static void inject(Object testInstance) {
        try {
            new TestContextManager(testInstance.getClass()).prepareTestInstance(testInstance);
        } catch (Exception e) {
            throw new IllegalStateException("the Spring test context could not be prepared", e);
        }
    }
}
