package dev.sgw.iscsi.pdu;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The iSCSI header and data digest CRC32C (RFC 7143 section 13.1, Castagnoli polynomial), sent as 4 bytes
 * least significant byte first, as the common initiators (Linux, libiscsi) put it on the wire. The data
 * digest covers the data segment and its padding.
 */
public final class Crc32cDigest {
    private final CRC32C crc = new CRC32C();

    public Crc32cDigest update(byte[] bytes) {
        crc.update(bytes, 0, bytes.length);
        return this;
    }

    public Crc32cDigest update(ByteBuffer buffer) {
        crc.update(buffer.duplicate());
        return this;
    }

    public Crc32cDigest updateZeros(int count) {
        for (int i = 0; i < count; i++) {
            crc.update(0);
        }
        return this;
    }

    /** The digest as the int whose little-endian bytes go on the wire. */
    public int value() {
        return (int) crc.getValue();
    }

    /** The digest of a header: the BHS and the AHS. */
    public static int header(byte[] bhs, byte[] ahs) {
        return new Crc32cDigest().update(bhs).update(ahs).value();
    }

    /** The digest of a data segment and its padding to a multiple of 4. */
    public static int data(ByteBuffer data) {
        return new Crc32cDigest()
                .update(data)
                .updateZeros(padding(data.remaining()))
                .value();
    }

    /** The bytes of padding that follow a data segment of {@code length} bytes. */
    public static int padding(int length) {
        return (4 - (length & 3)) & 3;
    }
}
