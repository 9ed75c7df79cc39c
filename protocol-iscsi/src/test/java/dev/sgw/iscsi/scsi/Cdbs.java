package dev.sgw.iscsi.scsi;

import java.nio.ByteBuffer;

/** Builds CDBs and parameter lists for the tests, field by field as SPC-4/SBC-3 lay them out. */
final class Cdbs {
    private Cdbs() {}

    static final int READ6 = 0x08;
    static final int WRITE6 = 0x0a;
    static final int READ10 = 0x28;
    static final int WRITE10 = 0x2a;
    static final int WRITE_VERIFY10 = 0x2e;
    static final int VERIFY10 = 0x2f;
    static final int READ12 = 0xa8;
    static final int WRITE12 = 0xaa;
    static final int WRITE_VERIFY12 = 0xae;
    static final int VERIFY12 = 0xaf;
    static final int READ16 = 0x88;
    static final int WRITE16 = 0x8a;
    static final int WRITE_VERIFY16 = 0x8e;
    static final int VERIFY16 = 0x8f;

    /** A READ/WRITE/VERIFY CDB of the opcode's length; {@code flags} is byte 1. */
    static byte[] rw(int opcode, long lba, long blocks, int flags) {
        return switch (opcode >> 5) {
            case 0 ->
                new byte[] {(byte) opcode, (byte) (lba >> 16 & 0x1f), (byte) (lba >> 8), (byte) lba, (byte) blocks, 0};
            case 1, 2 ->
                ByteBuffer.allocate(10)
                        .put(0, (byte) opcode)
                        .put(1, (byte) flags)
                        .putInt(2, (int) lba)
                        .putShort(7, (short) blocks)
                        .array();
            case 5 ->
                ByteBuffer.allocate(12)
                        .put(0, (byte) opcode)
                        .put(1, (byte) flags)
                        .putInt(2, (int) lba)
                        .putInt(6, (int) blocks)
                        .array();
            default ->
                ByteBuffer.allocate(16)
                        .put(0, (byte) opcode)
                        .put(1, (byte) flags)
                        .putLong(2, lba)
                        .putInt(10, (int) blocks)
                        .array();
        };
    }

    static byte[] read10(long lba, int blocks) {
        return rw(READ10, lba, blocks, 0);
    }

    static byte[] write10(long lba, int blocks) {
        return rw(WRITE10, lba, blocks, 0);
    }

    static byte[] read16(long lba, int blocks) {
        return rw(READ16, lba, blocks, 0);
    }

    static byte[] write16(long lba, int blocks) {
        return rw(WRITE16, lba, blocks, 0);
    }

    static byte[] writeSame10(long lba, int blocks, int flags) {
        return ByteBuffer.allocate(10)
                .put(0, (byte) 0x41)
                .put(1, (byte) flags)
                .putInt(2, (int) lba)
                .putShort(7, (short) blocks)
                .array();
    }

    static byte[] writeSame16(long lba, long blocks, int flags) {
        return ByteBuffer.allocate(16)
                .put(0, (byte) 0x93)
                .put(1, (byte) flags)
                .putLong(2, lba)
                .putInt(10, (int) blocks)
                .array();
    }

    static byte[] unmap(int parameterListLength) {
        return ByteBuffer.allocate(10)
                .put(0, (byte) 0x42)
                .putShort(7, (short) parameterListLength)
                .array();
    }

    /** An UNMAP parameter list; each descriptor is {lba, blocks}. */
    static byte[] unmapList(long[]... descriptors) {
        ByteBuffer b = ByteBuffer.allocate(8 + 16 * descriptors.length);
        b.putShort(0, (short) (6 + 16 * descriptors.length)).putShort(2, (short) (16 * descriptors.length));
        for (int i = 0; i < descriptors.length; i++) {
            b.putLong(8 + 16 * i, descriptors[i][0]).putInt(16 + 16 * i, (int) descriptors[i][1]);
        }
        return b.array();
    }

    static byte[] orWrite(long lba, long blocks, int flags) {
        return rw(0x8b, lba, blocks, flags);
    }

    static byte[] compareAndWrite(long lba, int blocks, int flags) {
        return ByteBuffer.allocate(16)
                .put(0, (byte) 0x89)
                .put(1, (byte) flags)
                .putLong(2, lba)
                .put(13, (byte) blocks)
                .array();
    }

    static byte[] inquiry(boolean evpd, int page, int allocation) {
        return new byte[] {0x12, (byte) (evpd ? 1 : 0), (byte) page, (byte) (allocation >> 8), (byte) allocation, 0};
    }

    static byte[] modeSense6(int byte1, int pageControl, int page, int subpage, int allocation) {
        return new byte[] {0x1a, (byte) byte1, (byte) (pageControl << 6 | page), (byte) subpage, (byte) allocation, 0};
    }

    static byte[] modeSense10(int byte1, int pageControl, int page, int subpage, int allocation) {
        return ByteBuffer.allocate(10)
                .put(0, (byte) 0x5a)
                .put(1, (byte) byte1)
                .put(2, (byte) (pageControl << 6 | page))
                .put(3, (byte) subpage)
                .putShort(7, (short) allocation)
                .array();
    }

    static byte[] modeSelect6(int byte1, int length) {
        return new byte[] {0x15, (byte) byte1, 0, 0, (byte) length, 0};
    }

    static byte[] modeSelect10(int byte1, int length) {
        return ByteBuffer.allocate(10)
                .put(0, (byte) 0x55)
                .put(1, (byte) byte1)
                .putShort(7, (short) length)
                .array();
    }

    static byte[] readCapacity10() {
        return new byte[] {0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    }

    static byte[] readCapacity16(int allocation) {
        return ByteBuffer.allocate(16)
                .put(0, (byte) 0x9e)
                .put(1, (byte) 0x10)
                .putInt(10, allocation)
                .array();
    }

    static byte[] getLbaStatus(long lba, int allocation) {
        return ByteBuffer.allocate(16)
                .put(0, (byte) 0x9e)
                .put(1, (byte) 0x12)
                .putLong(2, lba)
                .putInt(10, allocation)
                .array();
    }

    static byte[] reportLuns(int select, int allocation) {
        return ByteBuffer.allocate(12)
                .put(0, (byte) 0xa0)
                .put(2, (byte) select)
                .putInt(6, allocation)
                .array();
    }

    static byte[] reportOpcodes(boolean timeouts, int options, int opcode, int serviceAction, int allocation) {
        return ByteBuffer.allocate(12)
                .put(0, (byte) 0xa3)
                .put(1, (byte) 0x0c)
                .put(2, (byte) ((timeouts ? 0x80 : 0) | options))
                .put(3, (byte) opcode)
                .putShort(4, (short) serviceAction)
                .putInt(6, allocation)
                .array();
    }

    static byte[] reportTaskManagementFunctions(boolean extended, int allocation) {
        return ByteBuffer.allocate(12)
                .put(0, (byte) 0xa3)
                .put(1, (byte) 0x0d)
                .put(2, (byte) (extended ? 0x80 : 0))
                .putInt(6, allocation)
                .array();
    }

    static byte[] persistentReserveIn(int serviceAction, int allocation) {
        return ByteBuffer.allocate(10)
                .put(0, (byte) 0x5e)
                .put(1, (byte) serviceAction)
                .putShort(7, (short) allocation)
                .array();
    }

    static byte[] persistentReserveOut(int serviceAction, int type, int length) {
        return ByteBuffer.allocate(10)
                .put(0, (byte) 0x5f)
                .put(1, (byte) serviceAction)
                .put(2, (byte) type)
                .putInt(5, length)
                .array();
    }

    /** The 24-byte PERSISTENT RESERVE OUT parameter list; {@code flags} is byte 20. */
    static byte[] reserveParameters(long key, long serviceActionKey, int flags) {
        return ByteBuffer.allocate(24)
                .putLong(0, key)
                .putLong(8, serviceActionKey)
                .put(20, (byte) flags)
                .array();
    }

    static byte[] testUnitReady() {
        return new byte[6];
    }

    static byte[] requestSense(int allocation) {
        return new byte[] {0x03, 0, 0, 0, (byte) allocation, 0};
    }

    static byte[] startStopUnit(int byte4) {
        return new byte[] {0x1b, 0, 0, 0, (byte) byte4, 0};
    }

    static byte[] preventAllow(int prevent) {
        return new byte[] {0x1e, 0, 0, 0, (byte) prevent, 0};
    }

    static byte[] reserve6() {
        return new byte[] {0x16, 0, 0, 0, 0, 0};
    }

    static byte[] release6() {
        return new byte[] {0x17, 0, 0, 0, 0, 0};
    }

    static byte[] synchronizeCache10(long lba, int blocks) {
        return ByteBuffer.allocate(10)
                .put(0, (byte) 0x35)
                .putInt(2, (int) lba)
                .putShort(7, (short) blocks)
                .array();
    }

    static byte[] synchronizeCache16(long lba, int blocks) {
        return ByteBuffer.allocate(16)
                .put(0, (byte) 0x91)
                .putLong(2, lba)
                .putInt(10, blocks)
                .array();
    }

    static byte[] preFetch10(long lba, int blocks) {
        return ByteBuffer.allocate(10)
                .put(0, (byte) 0x34)
                .putInt(2, (int) lba)
                .putShort(7, (short) blocks)
                .array();
    }

    /** {@code count} bytes of {@code value}. */
    static byte[] filled(int count, int value) {
        byte[] b = new byte[count];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }
}
