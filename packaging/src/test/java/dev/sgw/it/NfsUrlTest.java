package dev.sgw.it;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The libnfs URL form the NFS integration tests name exports and files in. */
class NfsUrlTest {

    @Test
    void readsEveryPartInAnyOrder() {
        NfsUrl url = NfsUrl.parse("nfs://127.0.0.1/export?mountport=12048&version=3&nfsport=12049");

        assertThat(url).isEqualTo(new NfsUrl("127.0.0.1", "/export", 12049, 12048));
        assertThat(url).hasToString("nfs://127.0.0.1/export?version=3&nfsport=12049&mountport=12048");
        assertThat(url.ports()).containsExactly(12049, 12048);
    }

    @Test
    void namesAFileInTheExportsRoot() {
        NfsUrl demo = NfsUrl.demo(2049);

        assertThat(demo.file("a.bin")).isEqualTo("nfs://127.0.0.1/demo/a.bin?version=3&nfsport=2049&mountport=2049");
        assertThat(demo.ports()).containsExactly(2049);
        assertThat(demo.guestEnv()).containsEntry("NFS_EXPORT", "/demo").containsEntry("MNT_PORT", "2049");
        assertThatThrownBy(() -> demo.file("dir/a.bin")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesAUrlWithoutVersion3AndBothPorts() {
        assertThatThrownBy(() -> NfsUrl.parse("nfs://127.0.0.1/export?version=4&nfsport=1&mountport=2"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NfsUrl.parse("nfs://127.0.0.1/export?version=3&nfsport=2049"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NfsUrl.parse("iscsi://127.0.0.1/iqn.2026-11.dev.sgw:demo/0"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
