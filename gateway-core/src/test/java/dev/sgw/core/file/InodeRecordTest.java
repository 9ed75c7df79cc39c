package dev.sgw.core.file;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import dev.sgw.core.volume.DosAttributes;
import dev.sgw.core.volume.FileType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stored formats of {@link InodeRecord}: the current one round-trips, the previous one still reads. */
class InodeRecordTest {

    /** A record as format 1 wrote it (before birth time, DOS attributes and create verifiers). */
    private static byte[] formatOne(FileType type, long mtime, long ctime) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1); // format
            out.writeByte(type.ordinal());
            out.writeByte(1 | 4); // contentInBucket, pendingUpload
            out.writeLong(3); // generation
            out.writeInt(0640);
            out.writeInt(1000); // uid
            out.writeInt(100); // gid
            out.writeLong(12_345); // size
            out.writeInt(2); // nlink
            out.writeLong(111); // atime
            out.writeLong(mtime);
            out.writeLong(ctime);
            out.writeLong(77); // change
            out.writeBoolean(false); // no symlink
            out.writeShort(2);
            out.writeLong(1);
            out.writeUTF("a");
            out.writeLong(5);
            out.writeUTF("b");
            out.writeLong(9); // nextSlot
            out.writeBoolean(true);
            out.writeUTF("etag-1");
            out.writeLong(12_000); // objectSize
            out.writeLong(11_000); // bucketExtent
            out.writeLong(6); // contentVersion
            out.writeLong(0); // lastRenameSeq
            out.writeLong(0); // staleChunkEnd
        }
        return bytes.toByteArray();
    }

    @Test
    void aFormatOneRecordReadsWithItsFieldsAndDefaultsForTheNewOnes() throws IOException {
        InodeRecord r = InodeRecord.decode(42, formatOne(FileType.REGULAR, 333, 222));
        assertThat(r.inode).isEqualTo(42);
        assertThat(r.generation).isEqualTo(3);
        assertThat(r.type).isEqualTo(FileType.REGULAR);
        assertThat(r.contentInBucket).isTrue();
        assertThat(r.attributesPending).isFalse();
        assertThat(r.pendingUpload).isTrue();
        assertThat(r.mode).isEqualTo(0640);
        assertThat(r.uid).isEqualTo(1000);
        assertThat(r.gid).isEqualTo(100);
        assertThat(r.size).isEqualTo(12_345);
        assertThat(r.nlink).isEqualTo(2);
        assertThat(r.atime).isEqualTo(111);
        assertThat(r.mtime).isEqualTo(333);
        assertThat(r.ctime).isEqualTo(222);
        assertThat(r.change).isEqualTo(77);
        assertThat(r.links).containsExactly(new InodeRecord.Link(1, "a"), new InodeRecord.Link(5, "b"));
        assertThat(r.nextSlot).isEqualTo(9);
        assertThat(r.etag).isEqualTo("etag-1");
        assertThat(r.objectSize).isEqualTo(12_000);
        assertThat(r.bucketExtent).isEqualTo(11_000);
        assertThat(r.contentVersion).isEqualTo(6);
        assertThat(r.btime).as("the earlier of mtime and ctime").isEqualTo(222);
        assertThat(r.dos).isEqualTo(DosAttributes.ARCHIVE);
        assertThat(r.hasCreateVerifier).isFalse();
        assertThat(r.hasNamedAttributes).isFalse();
        assertThat(r.attributes().btime()).isEqualTo(222);

        InodeRecord dir = InodeRecord.decode(7, formatOne(FileType.DIRECTORY, 10, 20));
        assertThat(dir.btime).isEqualTo(10);
        assertThat(dir.dos).isZero();
    }

    @Test
    void theCurrentFormatIsWrittenAndRoundTripsEveryNewField() throws IOException {
        InodeRecord old = InodeRecord.decode(42, formatOne(FileType.REGULAR, 333, 222));
        old.btime = 1_600_000_000_123_456_700L;
        old.dos = DosAttributes.HIDDEN | DosAttributes.SYSTEM;
        old.hasCreateVerifier = true;
        old.createVerifier = -5;
        old.hasNamedAttributes = true;
        byte[] encoded = old.encode();
        assertThat(encoded[0]).as("the format byte").isEqualTo((byte) 2);
        InodeRecord back = InodeRecord.decode(42, encoded);
        assertThat(back.btime).isEqualTo(1_600_000_000_123_456_700L);
        assertThat(back.dos).isEqualTo(DosAttributes.HIDDEN | DosAttributes.SYSTEM);
        assertThat(back.hasCreateVerifier).isTrue();
        assertThat(back.createVerifier).isEqualTo(-5);
        assertThat(back.hasNamedAttributes).isTrue();
        assertThat(back.etag).isEqualTo("etag-1");
        assertThat(back.encode()).isEqualTo(encoded);

        back.hasCreateVerifier = false;
        InodeRecord without = InodeRecord.decode(42, back.encode());
        assertThat(without.hasCreateVerifier).isFalse();
        assertThat(without.hasNamedAttributes).isTrue();
        assertThat(without.btime).isEqualTo(1_600_000_000_123_456_700L);
    }

    @Test
    void theSparseMarkRoundTripsInTheDosByteAndOlderBytesReadAsNotSparse() throws IOException {
        InodeRecord r = InodeRecord.decode(42, formatOne(FileType.REGULAR, 333, 222));
        r.dos = DosAttributes.ARCHIVE | DosAttributes.HIDDEN | DosAttributes.SPARSE_FILE;
        byte[] encoded = r.encode();
        InodeRecord back = InodeRecord.decode(42, encoded);
        assertThat(back.dos).isEqualTo(DosAttributes.ARCHIVE | DosAttributes.HIDDEN | DosAttributes.SPARSE_FILE);
        assertThat(back.attributes().dosAttributes().sparse()).isTrue();

        r.dos = DosAttributes.ARCHIVE | DosAttributes.READ_ONLY;
        assertThat(InodeRecord.decode(42, r.encode()).dos)
                .as("a record written without the mark")
                .isEqualTo(DosAttributes.ARCHIVE | DosAttributes.READ_ONLY);
    }

    @Test
    void anUnknownFormatIsRefused() throws IOException {
        byte[] future = formatOne(FileType.REGULAR, 1, 1);
        future[0] = 3;
        assertThatThrownBy(() -> InodeRecord.decode(1, future))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unknown record format 3");
    }
}
