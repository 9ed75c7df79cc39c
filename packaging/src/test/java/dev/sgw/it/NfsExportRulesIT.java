package dev.sgw.it;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.sgw.TestGateway;
import dev.sgw.core.manage.BackendKind;
import dev.sgw.core.manage.CacheDiskConfig;
import dev.sgw.core.manage.ClientRule;
import dev.sgw.core.manage.CloudResource;
import dev.sgw.core.manage.ManagementService;
import dev.sgw.core.manage.NfsShare;
import dev.sgw.core.manage.Secret;
import dev.sgw.core.manage.UserMapping;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A share's export rules, enforced on the real libnfs client (NFSv3): a client outside the allow-list is
 * refused, a read-only client cannot write, and root_squash / all_squash / all_anonymous map the ids the
 * client sends (libnfs's {@code uid=}/{@code gid=} URL arguments) as configured, as the owners listed by
 * {@code nfs-ls} show.
 */
class NfsExportRulesIT {
    @TempDir
    static Path dir;

    private static TestGateway gateway;
    private static Path payload;

    @BeforeAll
    static void start() throws Exception {
        TestTools.require("nfs-cp");
        gateway = TestGateway.start(dir, NfsExportRulesIT::configure);
        payload = dir.resolve("payload.txt");
        Files.writeString(payload, "export rules\n");
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static void configure(ManagementService m) throws IOException {
        m.createResource(new CloudResource(
                "bucket", BackendKind.MEMORY, (URI) null, null, "rules", "", null, (Secret) null, false));
        Path cache = dir.resolve("cache");
        Files.createDirectories(cache);
        m.createCacheDisk(CacheDiskConfig.of("cache", cache, 1L << 30));
        share(m, "/open", UserMapping.NONE, ClientRule.anyReadWrite());
        share(m, "/rootsquash", UserMapping.ROOT_SQUASH, ClientRule.anyReadWrite());
        share(m, "/allsquash", UserMapping.ALL_SQUASH, ClientRule.anyReadWrite());
        share(m, "/anonymous", UserMapping.ALL_ANONYMOUS, ClientRule.anyReadWrite());
        share(m, "/ro", UserMapping.NONE, new ClientRule("127.0.0.1", false), new ClientRule("*", true));
        share(m, "/lan", UserMapping.NONE, new ClientRule("10.0.0.0/8", true), new ClientRule("fd00::/8", true));
    }

    private static void share(ManagementService m, String path, UserMapping mapping, ClientRule... rules)
            throws IOException {
        m.createNfsShare(NfsShare.builder(path)
                .resource("bucket")
                .cacheDisk("cache")
                .userMapping(mapping)
                .anonUid(4000)
                .anonGid(4001)
                .clients(List.of(rules))
                .build());
    }

    private static String url(String path, int uid, int gid) {
        int port = gateway.port("nfs");
        return "nfs://127.0.0.1" + path + "?version=3&nfsport=" + port + "&mountport=" + port + "&uid=" + uid + "&gid="
                + gid;
    }

    /** The owner "uid gid" of {@code name} as {@code nfs-ls} lists the share's root. */
    private static String owner(String share, String name) throws Exception {
        Result ls = exec("nfs-ls", url(share, 0, 0));
        assertThat(ls.exit()).as("nfs-ls %s:\n%s", share, ls.output()).isZero();
        String line = ls.output()
                .lines()
                .filter(l -> l.endsWith(" " + name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + " not listed in " + share + ":\n" + ls.output()));
        String[] f = line.trim().split("\\s+");
        return f[2] + " " + f[3];
    }

    @Test
    void idsAreKeptOrSquashedAsTheShareSays() throws Exception {
        assertThat(copyIn("/open", "by-root", 0, 0).exit()).isZero();
        assertThat(owner("/open", "by-root")).isEqualTo("0 0");
        assertThat(copyIn("/open", "by-user", 1234, 4321).exit()).isZero();
        assertThat(owner("/open", "by-user")).isEqualTo("1234 4321");

        assertThat(copyIn("/rootsquash", "by-root", 0, 0).exit()).isZero();
        assertThat(owner("/rootsquash", "by-root")).as("root squashed").isEqualTo("4000 4001");
        assertThat(copyIn("/rootsquash", "by-user", 1234, 4321).exit()).isZero();
        assertThat(owner("/rootsquash", "by-user")).isEqualTo("1234 4321");

        assertThat(copyIn("/allsquash", "by-user", 1234, 4321).exit()).isZero();
        assertThat(owner("/allsquash", "by-user")).as("everyone squashed").isEqualTo("4000 4001");
        assertThat(copyIn("/anonymous", "by-root", 0, 0).exit()).isZero();
        assertThat(owner("/anonymous", "by-root")).isEqualTo("4000 4001");
    }

    @Test
    void aReadOnlyClientReadsButCannotWrite() throws Exception {
        Result write = copyIn("/ro", "refused", 0, 0);
        assertThat(write.exit())
                .as("write to a read-only export:\n%s", write.output())
                .isNotZero();
        assertThat(write.output()).containsAnyOf("ROFS", "Read-only", "read-only");
        Result ls = exec("nfs-ls", url("/ro", 0, 0));
        assertThat(ls.exit())
                .as("a read-only client still lists:\n%s", ls.output())
                .isZero();
        assertThat(ls.output()).doesNotContain("refused");
    }

    @Test
    void aClientOutsideTheAllowListIsRefused() throws Exception {
        Result ls = exec("nfs-ls", url("/lan", 0, 0));
        assertThat(ls.exit())
                .as("nfs-ls of an export for 10.0.0.0/8 from 127.0.0.1:\n%s", ls.output())
                .isNotZero();
        Result write = copyIn("/lan", "refused", 0, 0);
        assertThat(write.exit()).isNotZero();
    }

    private static Result copyIn(String share, String name, int uid, int gid) throws Exception {
        return exec("nfs-cp", payload.toString(), url(share + "/" + name, uid, gid));
    }

    record Result(int exit, String output) {}

    private static Result exec(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within 60 s:\n" + out);
        }
        return new Result(p.exitValue(), out);
    }
}
