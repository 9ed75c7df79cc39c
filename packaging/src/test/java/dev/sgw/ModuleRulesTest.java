package dev.sgw;

import java.util.Set;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dependency rules of the architecture, checked on the compiled classes of every module, so that a
 * violation fails the build: the graph is acyclic, a protocol module uses only an allow-list (the volume API,
 * the protocol seam, the shared file state, the permission checks, a few management records, the JDK, Netty
 * and SLF4J), the
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
        assertThat(classes.containPackage("dev.sgw.core.store")).isTrue();
        assertThat(classes.containPackage("dev.sgw.cache")).isTrue();
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

    /**
     * The management records a protocol module may read, and only these: the share and volume configurations
     * its exports come with ({@code NfsShare}, {@code SmbShare}, {@code IscsiVolume}) and the value types in
     * them it checks clients against ({@code ClientRule}, {@code UserMapping}, {@code ChapCredentials} with
     * its {@code Secret}, an SMB user's {@code SmbUser} record and {@code NtHash}). Never the management
     * service, the state or its files.
     */
    private static final Set<String> MANAGEMENT_RECORDS_FOR_PROTOCOLS = Set.of(
            "dev.sgw.core.manage.NfsShare",
            "dev.sgw.core.manage.SmbShare",
            "dev.sgw.core.manage.IscsiVolume",
            "dev.sgw.core.manage.ClientRule",
            "dev.sgw.core.manage.UserMapping",
            "dev.sgw.core.manage.ChapCredentials",
            "dev.sgw.core.manage.Secret",
            "dev.sgw.core.manage.SmbUser",
            "dev.sgw.core.manage.NtHash");

    private static final DescribedPredicate<JavaClass> MANAGEMENT_RECORD_OR_PRIMITIVE =
            DescribedPredicate.describe("a management record for protocols or a primitive type", type -> {
                JavaClass base = type.getBaseComponentType();
                return base.isPrimitive() || MANAGEMENT_RECORDS_FOR_PROTOCOLS.contains(base.getName());
            });

    /**
     * What every protocol module may use besides its own packages: the JDK (with its crypto), Netty, SLF4J
     * and BouncyCastle's primitives (SMB's AES-CMAC, AES-CCM, MD4 and RC4, which the JDK lacks).
     */
    private static final String[] PLATFORM = {
        "java..", "javax.crypto..", "io.netty..", "org.slf4j..", "org.bouncycastle.."
    };

    /**
     * The core a protocol module may use: the volume API, the protocol seam, the shared file state and the
     * permission checks (a protocol only builds the caller).
     */
    private static final String[] CORE_FOR_PROTOCOLS = {
        "dev.sgw.core.volume..", "dev.sgw.core.spi..", "dev.sgw.core.sharing..", "dev.sgw.core.access.."
    };

    @Test
    void protocolsUseOnlyTheVolumeApiTheSeamAndTheirConfiguration() {
        for (String protocol : PROTOCOLS) {
            ArchRule rule = classes()
                    .that()
                    .resideInAPackage(protocol)
                    .should()
                    .onlyDependOnClassesThat(resideInAPackage(protocol)
                            .or(resideInAnyPackage(PLATFORM))
                            .or(resideInAnyPackage(CORE_FOR_PROTOCOLS))
                            .or(MANAGEMENT_RECORD_OR_PRIMITIVE)
                            .as("reside in their own package, " + String.join(", ", PLATFORM) + ", "
                                    + String.join(", ", CORE_FOR_PROTOCOLS) + " or are the management records "
                                    + MANAGEMENT_RECORDS_FOR_PROTOCOLS))
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
}
