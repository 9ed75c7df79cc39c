package dev.sgw.iscsi.scsi;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The vital product data pages INQUIRY returns with EVPD=1 (SPC-4 7.8, SBC-3 6.5):
 *
 * <pre>
 * page | name                          | content
 * -----+-------------------------------+----------------------------------------------------------------
 * 00h  | Supported VPD Pages           | this list
 * 80h  | Unit Serial Number            | the identity's serial
 * 83h  | Device Identification         | NAA (LU), T10 vendor id (LU), relative target port and SCSI name
 *      |                               | string of the target port (port), SCSI name string of the target
 * B0h  | Block Limits                  | from {@link BlockLimits}; WSNZ=0
 * B1h  | Block Device Characteristics  | non-rotating medium
 * B2h  | Logical Block Provisioning    | thin provisioned; LBPU, LBPWS, LBPWS10, LBPRZ; no anchors
 * </pre>
 */
final class VpdPages {
    static final int SUPPORTED = 0x00;
    static final int UNIT_SERIAL_NUMBER = 0x80;
    static final int DEVICE_IDENTIFICATION = 0x83;
    static final int BLOCK_LIMITS = 0xb0;
    static final int BLOCK_DEVICE_CHARACTERISTICS = 0xb1;
    static final int LOGICAL_BLOCK_PROVISIONING = 0xb2;

    private static final int[] PAGES = {
        SUPPORTED,
        UNIT_SERIAL_NUMBER,
        DEVICE_IDENTIFICATION,
        BLOCK_LIMITS,
        BLOCK_DEVICE_CHARACTERISTICS,
        LOGICAL_BLOCK_PROVISIONING
    };

    private static final int CODE_SET_BINARY = 1;
    private static final int CODE_SET_ASCII = 2;
    private static final int CODE_SET_UTF8 = 3;
    private static final int PROTOCOL_ISCSI = 5;
    private static final int ASSOCIATION_LU = 0;
    private static final int ASSOCIATION_PORT = 1;
    private static final int ASSOCIATION_TARGET = 2;
    private static final int TYPE_T10 = 1;
    private static final int TYPE_NAA = 3;
    private static final int TYPE_RELATIVE_PORT = 4;
    private static final int TYPE_SCSI_NAME = 8;

    private final UnitIdentity identity;
    private final Medium medium;
    private final BlockLimits limits;

    VpdPages(UnitIdentity identity, Medium medium, BlockLimits limits) {
        this.identity = identity;
        this.medium = medium;
        this.limits = limits;
    }

    /** Page {@code code} whole; the nexus names the target port for page 83h. */
    ByteBuffer page(int code, ItNexus nexus) throws ScsiError {
        return switch (code) {
            case SUPPORTED -> supported();
            case UNIT_SERIAL_NUMBER -> withHeader(code, identity.serial().getBytes(StandardCharsets.US_ASCII));
            case DEVICE_IDENTIFICATION -> deviceIdentification(nexus);
            case BLOCK_LIMITS -> blockLimits();
            case BLOCK_DEVICE_CHARACTERISTICS -> blockDeviceCharacteristics();
            case LOGICAL_BLOCK_PROVISIONING -> logicalBlockProvisioning();
            default -> throw ScsiError.check(SenseData.INVALID_FIELD_IN_CDB);
        };
    }

    private static ByteBuffer supported() {
        byte[] list = new byte[PAGES.length];
        for (int i = 0; i < PAGES.length; i++) {
            list[i] = (byte) PAGES[i];
        }
        return withHeader(SUPPORTED, list);
    }

    private ByteBuffer deviceIdentification(ItNexus nexus) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(designator(
                0,
                CODE_SET_BINARY,
                false,
                ASSOCIATION_LU,
                TYPE_NAA,
                ByteBuffer.allocate(8).putLong(0, identity.naa()).array()));
        byte[] t10 = (new String(UnitIdentity.padded(identity.vendor(), 8), StandardCharsets.US_ASCII)
                        + identity.serial())
                .getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(designator(0, CODE_SET_ASCII, false, ASSOCIATION_LU, TYPE_T10, t10));
        byte[] port = ByteBuffer.allocate(4)
                .putShort(2, (short) PersistentReserveIn.relativePort(nexus))
                .array();
        out.writeBytes(designator(PROTOCOL_ISCSI, CODE_SET_BINARY, true, ASSOCIATION_PORT, TYPE_RELATIVE_PORT, port));
        out.writeBytes(designator(
                PROTOCOL_ISCSI,
                CODE_SET_UTF8,
                true,
                ASSOCIATION_PORT,
                TYPE_SCSI_NAME,
                scsiName(nexus.targetPortName())));
        out.writeBytes(designator(
                PROTOCOL_ISCSI, CODE_SET_UTF8, true, ASSOCIATION_TARGET, TYPE_SCSI_NAME, scsiName(nexus.targetName())));
        return withHeader(DEVICE_IDENTIFICATION, out.toByteArray());
    }

    private ByteBuffer blockLimits() {
        int bs = medium.blockSize();
        ByteBuffer b = ByteBuffer.allocate(0x40);
        b.put(1, (byte) BLOCK_LIMITS);
        b.putShort(2, (short) 0x3c);
        b.put(4, (byte) 0x00); // WSNZ=0
        b.put(5, (byte) limits.maxCompareAndWriteBlocks());
        b.putShort(6, (short) Math.min(0xffff, limits.optimalGranularityBlocks(bs)));
        b.putInt(8, (int) limits.maxTransferBlocks(bs));
        b.putInt(12, (int) limits.optimalTransferBlocks(bs));
        b.putInt(20, (int) limits.maxUnmapBlocks(bs));
        b.putInt(24, limits.maxUnmapDescriptors());
        long granularity = limits.unmapGranularityBlocks(bs);
        b.putInt(28, (int) Math.min(granularity, 0xffffffffL));
        if (granularity > 1) {
            b.putInt(32, 0x80000000); // UGAVALID, alignment 0
        }
        b.putLong(36, limits.maxWriteSameBlocks(bs));
        return b;
    }

    private static ByteBuffer blockDeviceCharacteristics() {
        ByteBuffer b = ByteBuffer.allocate(0x40);
        b.put(1, (byte) BLOCK_DEVICE_CHARACTERISTICS);
        b.putShort(2, (short) 0x3c);
        b.putShort(4, (short) 0x0001); // non-rotating medium
        return b;
    }

    private static ByteBuffer logicalBlockProvisioning() {
        ByteBuffer b = ByteBuffer.allocate(8);
        b.put(1, (byte) LOGICAL_BLOCK_PROVISIONING);
        b.putShort(2, (short) 4);
        b.put(5, (byte) (0x80 | 0x40 | 0x20 | 0x04)); // LBPU, LBPWS, LBPWS10, LBPRZ
        b.put(6, (byte) 0x02); // thin provisioned
        return b;
    }

    private static ByteBuffer withHeader(int code, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(4 + body.length);
        b.put(1, (byte) code);
        b.putShort(2, (short) body.length);
        b.put(4, body);
        return b;
    }

    private static byte[] designator(
            int protocol, int codeSet, boolean protocolValid, int association, int type, byte[] value) {
        byte[] d = new byte[4 + value.length];
        d[0] = (byte) (protocol << 4 | codeSet);
        d[1] = (byte) ((protocolValid ? 0x80 : 0) | association << 4 | type);
        d[3] = (byte) value.length;
        System.arraycopy(value, 0, d, 4, value.length);
        return d;
    }

    /** A SCSI name string: UTF-8, null-terminated, padded with nulls to a multiple of 4 bytes. */
    private static byte[] scsiName(String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        byte[] padded = new byte[(utf8.length + 1 + 3) & ~3];
        System.arraycopy(utf8, 0, padded, 0, utf8.length);
        return padded;
    }
}
