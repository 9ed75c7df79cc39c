package dev.sgw.nfs.v4;

import java.nio.file.Path;

import dev.sgw.core.manage.ClientRule;
import dev.sgw.core.manage.UserMapping;
import dev.sgw.nfs.BadHandleException;
import dev.sgw.nfs.FileHandles;
import dev.sgw.nfs.ListDirectory;
import dev.sgw.nfs.Nfs3Status;
import dev.sgw.nfs.Nfs4Exception;
import dev.sgw.nfs.NfsStatusMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pseudo file system above the export paths and its filehandles. */
class PseudoFsTest {
    @TempDir
    Path dir;

    private ShareFixture share;
    private final ListDirectory exports = new ListDirectory();
    private PseudoFs pseudo;

    @BeforeEach
    void start() throws Exception {
        share = new ShareFixture(dir);
        exports.exports.add(share.export(1, "/demo", UserMapping.NONE, ClientRule.anyReadWrite()));
        exports.exports.add(share.export(2, "/a/b/c", UserMapping.NONE, ClientRule.anyReadWrite()));
        exports.exports.add(share.export(3, "/a/d", UserMapping.NONE, ClientRule.anyReadWrite()));
        pseudo = new PseudoFs(exports);
    }

    @AfterEach
    void stop() throws Exception {
        share.close();
    }

    @Test
    void directoriesLeadToEachExportAndNamesAreExportsOrDirectories() throws Exception {
        assertThat(pseudo.children(pseudo.root()))
                .extracting(PseudoFs.Child::name)
                .containsExactly("a", "demo");
        PseudoFs.Child a = pseudo.lookup(pseudo.root(), "a").orElseThrow();
        assertThat(a).isInstanceOf(PseudoFs.DirChild.class);
        PseudoFs.Dir aDir = ((PseudoFs.DirChild) a).dir();
        assertThat(pseudo.children(aDir)).extracting(PseudoFs.Child::name).containsExactly("b", "d");
        assertThat(pseudo.lookup(aDir, "d").orElseThrow()).isInstanceOf(PseudoFs.ExportChild.class);
        assertThat(pseudo.lookup(aDir, "x")).isEmpty();
        assertThat(pseudo.lookup(pseudo.root(), "demo").orElseThrow()).isInstanceOf(PseudoFs.ExportChild.class);
        assertThat(pseudo.parentOf("/a/b").path()).isEqualTo("/a");
        assertThat(pseudo.parentOf("/demo").isRoot()).isTrue();
    }

    @Test
    void handlesNameDirectoriesUntilNoExportLiesBelowAndNfs3RefusesThem() throws Exception {
        PseudoFs.Dir b = pseudo.dir(PseudoFs.idOf("/a/b"));
        assertThat(b.path()).isEqualTo("/a/b");
        byte[] handle = FileHandles.encodePseudo(b.id());
        assertThat(FileHandles.decodePseudo(handle)).hasValue(b.id());
        assertThat(FileHandles.decodePseudo(FileHandles.encode(1, share.volume.root())))
                .isEmpty();
        assertThatThrownBy(() -> FileHandles.decode(handle))
                .isInstanceOf(BadHandleException.class)
                .extracting(e -> NfsStatusMapper.nfs3(e))
                .isEqualTo(Nfs3Status.NFS3ERR_BADHANDLE);

        exports.exports.removeIf(e -> e.share().path().equals("/a/b/c"));
        assertThatThrownBy(() -> pseudo.dir(b.id()))
                .isInstanceOf(Nfs4Exception.class)
                .hasMessageContaining("STALE");
        assertThat(pseudo.dir(PseudoFs.idOf("/a")).path())
                .as("/a still leads to /a/d")
                .isEqualTo("/a");
        assertThat(pseudo.dir(PseudoFs.idOf("/")).isRoot()).isTrue();
    }
}
