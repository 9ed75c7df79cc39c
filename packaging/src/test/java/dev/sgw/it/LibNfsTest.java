package dev.sgw.it;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading what libnfs's nfs-ls prints. */
class LibNfsTest {

    @Test
    void readsTypeSizeAndNameOfEachEntry() {
        String output = """
                -rw-r--r--  1     0     0      1234567 from outside.bin
                -rw-r--r--  1     0     0   1073741824 nfs-compare.dat
                drwxr-xr-x  2  1000  1000         4096 restart
                """;

        assertThat(LibNfs.parse(output))
                .containsExactly(
                        new LibNfs.Entry('-', 1234567, "from outside.bin"),
                        new LibNfs.Entry('-', 1L << 30, "nfs-compare.dat"),
                        new LibNfs.Entry('d', 4096, "restart"));
        assertThat(LibNfs.parse("")).isEmpty();
    }

    @Test
    void refusesALineItCannotRead() {
        assertThatThrownBy(() -> LibNfs.parse("Failed to mount nfs share : mount_cb: RPC error\n"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
