package dev.sgw.it;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The libiscsi URL form the integration tests take their external target in. */
class IscsiUrlTest {

    @Test
    void readsEveryPart() {
        IscsiUrl url = IscsiUrl.parse("iscsi://alice%s3cret@127.0.0.1:13260/iqn.2026-11.dev.sgw:demo/1");

        assertThat(url).isEqualTo(new IscsiUrl("alice", "s3cret", "127.0.0.1", 13260, "iqn.2026-11.dev.sgw:demo", 1));
        assertThat(url.hasChap()).isTrue();
        assertThat(url).hasToString("iscsi://alice%s3cret@127.0.0.1:13260/iqn.2026-11.dev.sgw:demo/1");
    }

    @Test
    void thePortDefaultsTo3260() {
        IscsiUrl url = IscsiUrl.parse("iscsi://127.0.0.1/iqn.2026-11.dev.sgw:demo/0");

        assertThat(url.port()).isEqualTo(3260);
        assertThat(url.hasChap()).isFalse();
        assertThat(url).hasToString("iscsi://127.0.0.1:3260/iqn.2026-11.dev.sgw:demo/0");
    }

    @Test
    void refusesWhatIsNotALun() {
        assertThatThrownBy(() -> IscsiUrl.parse("iscsi://127.0.0.1:3260/iqn.2026-11.dev.sgw:demo"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IscsiUrl.parse("nfs://127.0.0.1/export")).isInstanceOf(IllegalArgumentException.class);
    }
}
