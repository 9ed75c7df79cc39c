package dev.sgw;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The dependency rules of the architecture, checked on the compiled classes of every module, so that a
 * violation fails the build: the graph is acyclic, a protocol module speaks only to the volume API, the
 * cache knows nothing of ours, and each SDK stays inside the one package that adapts it.
 */
class ModuleRulesTest {

    private static final String CACHE = "dev.sgw.cache..";
    private static final String CORE = "dev.sgw.core..";
    private static final String NFS = "dev.sgw.nfs..";
    private static final String SMB = "dev.sgw.smb..";
    private static final String ISCSI = "dev.sgw.iscsi..";
    private static final String CONSOLE = "dev.sgw.console..";
    private static final String[] PROTOCOLS = {NFS, SMB, ISCSI};
    /** What only gateway-core itself may touch: storage internals below the volume layer. */
    private static final String[] BELOW_THE_VOLUME_LAYER = {
        CACHE,
        "dev.sgw.core.store..",
        "dev.sgw.core.meta..",
        "org.rocksdb..",
        "software.amazon.awssdk..",
        "com.aliyun.."
    };

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar")) // other modules' test jars
                .importPackages("dev.sgw");
    }

    @Test
    void importsTheCoreAndCache() {
        org.assertj.core.api.Assertions.assertThat(classes.containPackage("dev.sgw.core.store"))
                .isTrue();
        org.assertj.core.api.Assertions.assertThat(classes.containPackage("dev.sgw.cache"))
                .isTrue();
    }

    @Test
    void modulePackagesHaveNoCycles() {
        slices().matching("dev.sgw.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void cacheDependsOnNothingOfOurs() {
        noClasses()
                .that()
                .resideInAPackage(CACHE)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(CORE, NFS, SMB, ISCSI, CONSOLE)
                .orShould()
                .dependOnClassesThat()
                .resideInAPackage("dev.sgw")
                .check(classes);
    }

    @Test
    void gatewayCoreKnowsNoProtocolConsoleOrWiring() {
        noClasses()
                .that()
                .resideInAPackage(CORE)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(NFS, SMB, ISCSI, CONSOLE, "org.gaul..")
                .orShould()
                .dependOnClassesThat()
                .resideInAPackage("dev.sgw")
                .check(classes);
    }

    @Test
    void protocolsSeeOnlyTheVolumeApi() {
        for (String protocol : PROTOCOLS) {
            ArchRule rule = noClasses()
                    .that()
                    .resideInAPackage(protocol)
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(BELOW_THE_VOLUME_LAYER)
                    .orShould()
                    .dependOnClassesThat()
                    .resideInAnyPackage(others(protocol))
                    .orShould()
                    .dependOnClassesThat()
                    .resideInAnyPackage(CONSOLE)
                    .allowEmptyShould(true);
            rule.check(classes);
        }
    }

    @Test
    void consoleGoesThroughTheManagementService() {
        noClasses()
                .that()
                .resideInAPackage(CONSOLE)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(BELOW_THE_VOLUME_LAYER)
                .orShould()
                .dependOnClassesThat()
                .resideInAnyPackage(PROTOCOLS)
                .allowEmptyShould(true)
                .check(classes);
    }

    /**
     * The one exception to the S3 SDK rule: S3Proxy 4.1's blob-store seam (which {@code IndexedBlobStore}
     * decorates for the embedded bucket) is written in the SDK's S3 model types, so that class may use
     * those, and only those.
     */
    private static final String S3PROXY_BLOB_STORE_DECORATOR = "dev\\.sgw\\.IndexedBlobStore(\\$.*)?";

    @Test
    void eachSdkStaysInItsAdapterPackage() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.sgw.core.store.s3..")
                .and()
                .haveNameNotMatching(S3PROXY_BLOB_STORE_DECORATOR)
                .should()
                .dependOnClassesThat()
                .resideInAPackage("software.amazon.awssdk..")
                .check(classes);
        noClasses()
                .that()
                .haveNameMatching(S3PROXY_BLOB_STORE_DECORATOR)
                .should()
                .dependOnClassesThat(resideInAPackage("software.amazon.awssdk..")
                        .and(not(resideInAPackage("software.amazon.awssdk.services.s3.model.."))))
                .check(classes);
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.sgw.core.store.oss..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("com.aliyun..")
                .check(classes);
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.sgw.core.meta..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.rocksdb..")
                .check(classes);
        noClasses()
                .that()
                .resideOutsideOfPackage(CACHE)
                .and()
                .resideOutsideOfPackage(CORE)
                .should()
                .dependOnClassesThat()
                .resideInAPackage("com.github.benmanes.caffeine..")
                .allowEmptyShould(true)
                .check(classes);
    }

    private static String[] others(String protocol) {
        return java.util.Arrays.stream(PROTOCOLS)
                .filter(p -> !p.equals(protocol))
                .toArray(String[]::new);
    }
}
