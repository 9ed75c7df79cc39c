package dev.sgw.iscsi.scsi;

import java.nio.ByteBuffer;

import dev.sgw.iscsi.testing.MemoryBlockVolume;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link BlockLogicalUnit} over a {@link MemoryBlockVolume}, with two initiators (A and B) on the same
 * target port, a third nexus of A on another target portal group, and the assertions the tests share.
 */
final class UnitFixture {
    static final String TARGET = "iqn.2024-01.dev.sgw:vol1";
    static final ItNexus A = new ItNexus("iqn.2024-01.test:initiator-a", 0x23d000000001L, TARGET, 1);
    static final ItNexus B = new ItNexus("iqn.2024-01.test:initiator-b", 0x23d000000002L, TARGET, 1);
    static final ItNexus A_OTHER_PORT = new ItNexus("iqn.2024-01.test:initiator-a", 0x23d000000001L, TARGET, 2);

    final MemoryBlockVolume volume;
    final BlockLogicalUnit lu;
    final int blockSize;

    UnitFixture() {
        this(512, 4096);
    }

    UnitFixture(int blockSize, long blocks) {
        this(blockSize, blocks, BlockLimits.defaults());
    }

    UnitFixture(int blockSize, long blocks, BlockLimits limits) {
        this.blockSize = blockSize;
        this.volume = new MemoryBlockVolume(blockSize, blocks);
        this.lu = new BlockLogicalUnit(volume, UnitIdentity.forVolume("vol1"), limits);
    }

    /** A command without data, from A. */
    ScsiResponse none(byte[] cdb) {
        return none(A, cdb);
    }

    ScsiResponse none(ItNexus nexus, byte[] cdb) {
        return lu.execute(new ScsiCommand(nexus, 0, cdb, false, false, 0, ByteBuffer.allocate(0)));
    }

    /** A command reading up to {@code expected} bytes, from A. */
    ScsiResponse in(byte[] cdb, int expected) {
        return in(A, cdb, expected);
    }

    ScsiResponse in(ItNexus nexus, byte[] cdb, int expected) {
        return lu.execute(new ScsiCommand(nexus, 0, cdb, true, false, expected, ByteBuffer.allocate(0)));
    }

    /** A command sending {@code data}, from A. */
    ScsiResponse out(byte[] cdb, byte[] data) {
        return out(A, cdb, data);
    }

    ScsiResponse out(ItNexus nexus, byte[] cdb, byte[] data) {
        return lu.execute(new ScsiCommand(nexus, 0, cdb, false, true, data.length, ByteBuffer.wrap(data)));
    }

    /** Reads {@code blocks} blocks at {@code lba} with READ (16), asserting GOOD. */
    byte[] read(long lba, int blocks) {
        ScsiResponse r = in(Cdbs.read16(lba, blocks), blocks * blockSize);
        assertGood(r);
        return bytes(r);
    }

    /** Writes {@code data} at {@code lba} with WRITE (16), asserting GOOD. */
    void write(long lba, byte[] data) {
        assertGood(out(Cdbs.write16(lba, data.length / blockSize), data));
    }

    static byte[] bytes(ScsiResponse r) {
        ByteBuffer d = r.dataIn().duplicate();
        byte[] b = new byte[d.remaining()];
        d.get(b);
        return b;
    }

    static ByteBuffer buffer(ScsiResponse r) {
        return ByteBuffer.wrap(bytes(r));
    }

    static void assertGood(ScsiResponse r) {
        assertThat(r.status()).as("status (sense %s)", senseText(r)).isEqualTo(ScsiResponse.GOOD);
        assertThat(r.sense().remaining()).isZero();
    }

    static void assertSense(ScsiResponse r, int key, int asc, int ascq) {
        assertThat(r.status()).as("status").isEqualTo(ScsiResponse.CHECK_CONDITION);
        assertThat(senseText(r)).isEqualTo(String.format("%x/%02x/%02x", key, asc, ascq));
        assertThat(r.dataIn().remaining()).as("no data-in with CHECK CONDITION").isZero();
    }

    static void assertInvalidField(ScsiResponse r) {
        assertSense(r, 0x5, 0x24, 0x00);
    }

    static void assertLbaOutOfRange(ScsiResponse r) {
        assertSense(r, 0x5, 0x21, 0x00);
    }

    static void assertConflict(ScsiResponse r) {
        assertThat(r.status()).isEqualTo(ScsiResponse.RESERVATION_CONFLICT);
        assertThat(r.sense().remaining()).isZero();
    }

    /** The INFORMATION field of fixed-format sense, or -1 if not VALID. */
    static long information(ScsiResponse r) {
        ByteBuffer s = r.sense();
        return (s.get(0) & 0x80) != 0 ? s.getInt(3) & 0xffffffffL : -1;
    }

    static String senseText(ScsiResponse r) {
        ByteBuffer s = r.sense();
        if (s.remaining() < 14) {
            return "none";
        }
        return String.format("%x/%02x/%02x", s.get(2) & 0x0f, s.get(12) & 0xff, s.get(13) & 0xff);
    }
}
