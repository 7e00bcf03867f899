package dev.pocketbridge.testsupport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.List;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * The structure every service keeps ({@link #verify}), checked by each service's
 * {@code ArchitectureTest} against its main classes (tests excluded):
 * <ul>
 * <li>features are packages, and no two of a module's packages depend on each other in a cycle;</li>
 * <li>package-private by default: a public class is used from another package (or is a module's
 * entry point, e.g. the {@code @SpringBootApplication} class, or a class of constants, whose uses
 * javac inlines);</li>
 * <li>no service depends on another service's classes (they talk over HTTP and Kafka only);</li>
 * <li>common-lib uses no Spring.</li>
 * </ul>
 */
public final class ArchitectureRules {

    /** The base packages of the services; none may use another's classes. */
    static final List<String> SERVICES = List.of("dev.pocketbridge.gateway", "dev.pocketbridge.auth",
            "dev.pocketbridge.device", "dev.pocketbridge.event", "dev.pocketbridge.relay");

    private ArchitectureRules() {
    }

    /** The module's main classes under {@code basePackage}. */
    public static JavaClasses mainClasses(String basePackage) {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(basePackage);
    }

    /** Every rule for a module whose classes live under {@code basePackage}. */
    public static void verify(String basePackage) {
        JavaClasses classes = mainClasses(basePackage);
        slices().matching(basePackage + ".(**)").namingSlices("package $1")
                .should().beFreeOfCycles()
                .allowEmptyShould(true)
                .check(classes);
        // Uses from the module's tests count too: a test in another package may need a class public.
        classes().that(arePublicTopLevelMainClasses())
                .should(beUsedFromAnotherPackageOrBeAnEntryPoint())
                .allowEmptyShould(true)
                .check(withTests(basePackage));
        for (String other : SERVICES) {
            if (!other.equals(basePackage)) {
                noClasses().should().dependOnClassesThat().resideInAPackage(other + "..")
                        .because("services talk over HTTP and Kafka only")
                        .allowEmptyShould(true)
                        .check(classes);
            }
        }
    }

    /** For a library module (its public classes are for other modules): no package cycles. */
    public static void verifyLibrary(String basePackage) {
        slices().matching(basePackage + ".(**)").namingSlices("package $1")
                .should().beFreeOfCycles()
                .allowEmptyShould(true)
                .check(mainClasses(basePackage));
    }

    /** common-lib: the protocol, shared by servers and clients, uses no Spring. */
    public static void verifyFreeOfSpring(String basePackage) {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..")
                .because("common-lib is shared by every service and the clients")
                .check(mainClasses(basePackage));
    }

    private static JavaClasses withTests(String basePackage) {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(basePackage);
    }

    private static DescribedPredicate<JavaClass> arePublicTopLevelMainClasses() {
        return DescribedPredicate.describe("are public top-level classes of the main code",
                c -> c.getModifiers().contains(JavaModifier.PUBLIC) && c.isTopLevelClass()
                        && c.getSource().map(source -> !source.getUri().toString().contains("/test-classes/"))
                                .orElse(true));
    }

    private static ArchCondition<JavaClass> beUsedFromAnotherPackageOrBeAnEntryPoint() {
        return new ArchCondition<>("be used from another package (package-private by default)") {
            @Override
            public void check(JavaClass javaClass, ConditionEvents events) {
                // javac inlines constants, so a class of constants used elsewhere shows no dependency.
                boolean constants = !javaClass.getFields().isEmpty() && javaClass.getFields().stream()
                        .allMatch(f -> f.getModifiers().containsAll(List.of(JavaModifier.STATIC, JavaModifier.FINAL)))
                        && javaClass.getMethods().isEmpty();
                boolean entryPoint = javaClass.isAnnotatedWith(
                        "org.springframework.boot.autoconfigure.SpringBootApplication")
                        || javaClass.getMethods().stream().anyMatch(m -> m.getName().equals("main")
                                && m.getModifiers().contains(JavaModifier.STATIC));
                boolean usedElsewhere = javaClass.getDirectDependenciesToSelf().stream()
                        .anyMatch(d -> !d.getOriginClass().getPackageName().equals(javaClass.getPackageName()));
                if (!constants && !entryPoint && !usedElsewhere) {
                    events.add(SimpleConditionEvent.violated(javaClass, javaClass.getName()
                            + " is public but used only in its own package: make it package-private"));
                }
            }
        };
    }
}
