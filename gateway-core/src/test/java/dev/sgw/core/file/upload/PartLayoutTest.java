package dev.sgw.core.file.upload;

import java.io.IOException;

import dev.sgw.core.store.MultipartPart;
import dev.sgw.core.store.ObjectStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartLayoutTest {

    private static final int KIB = 1024;
    private static final long MIB = 1024 * 1024;

    @Test
    void aPartIsTheWishedSizeRoundedUpToWholeChunks() throws IOException {
        PartLayout layout = PartLayout.of(100 * MIB + 1, 64 * KIB, 8 * MIB);
        assertThat(layout.partSize()).isEqualTo(8 * MIB);
        assertThat(layout.partCount()).isEqualTo(13);
        assertThat(layout.length(12)).isEqualTo(4 * MIB + 1);
        assertThat(layout.firstChunk(12)).isEqualTo(96 * 16);
        assertThat(layout.lastChunk(12)).isEqualTo(100 * 16);
    }

    @Test
    void aPartIsAtLeastTheStoresMinimumInWholeChunks() throws IOException {
        PartLayout layout = PartLayout.of(40 * MIB, 3 * KIB * KIB, ObjectStore.MIN_PART_SIZE);
        assertThat(layout.partSize()).isEqualTo(6 * MIB);
        assertThat(layout.partCount()).isEqualTo(7);
        assertThat(layout.length(6)).isEqualTo((int) (4 * MIB));
    }

    @Test
    void partsGrowSoThatAFileHasAtMostTenThousand() throws IOException {
        long size = 1024L * 1024 * MIB + 12345; // 1 TiB and a bit
        PartLayout layout = PartLayout.of(size, 64 * KIB, 5 * MIB);
        assertThat(layout.partCount()).isLessThanOrEqualTo(MultipartPart.MAX_PART_NUMBER);
        assertThat(layout.partSize() % (64 * KIB)).isZero();
        assertThat(layout.partSize()).isGreaterThan(100 * MIB).isLessThan(106 * MIB);
        long covered = layout.offset(layout.partCount() - 1) + layout.length(layout.partCount() - 1);
        assertThat(covered).isEqualTo(size);
    }

    @Test
    void aFileTooLargeForTenThousandPartsIsRefused() {
        assertThatThrownBy(() -> PartLayout.of(10_000L * 2048 * MIB, 64 * KIB, 5 * MIB))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("more than");
    }
}
