package dev.sgw.iscsi.scsi;

/**
 * Read access to the fields of a command descriptor block, big-endian as SCSI encodes them. Never modifies
 * the bytes; reading past the end of a short CDB reads zeros (the opcode table checks the CDB length first).
 */
// the array components are wire fields carried as decoded; the record is never compared or used as a key
@SuppressWarnings("ArrayRecordComponent")
record Cdb(byte[] bytes) {

    int opcode() {
        return u8(0);
    }

    /** The service action, byte 1 bits 4-0, of the opcodes that have service actions. */
    int serviceAction() {
        return u8(1) & 0x1f;
    }

    int u8(int index) {
        return index < bytes.length ? bytes[index] & 0xff : 0;
    }

    boolean bit(int index, int mask) {
        return (u8(index) & mask) != 0;
    }

    int u16(int index) {
        return u8(index) << 8 | u8(index + 1);
    }

    int u24(int index) {
        return u8(index) << 16 | u16(index + 1);
    }

    long u32(int index) {
        return (long) u16(index) << 16 | u16(index + 2);
    }

    /** An unsigned 64-bit field; values of 2^63 and more come back negative. */
    long u64(int index) {
        return u32(index) << 32 | u32(index + 4);
    }
}
