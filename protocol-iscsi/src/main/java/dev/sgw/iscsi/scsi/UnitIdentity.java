package dev.sgw.iscsi.scsi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Who a logical unit says it is (standard INQUIRY, VPD pages 80h and 83h). Initiators (multipath, udev's
 * {@code /dev/disk/by-id}, Windows disk signatures) key on these, so they must stay the same for a volume
 * across restarts: {@link #forVolume} derives them from the volume's stable id.
 *
 * @param vendor   T10 vendor identification, at most 8 ASCII characters
 * @param product  product identification, at most 16 ASCII characters
 * @param revision product revision level, at most 4 ASCII characters
 * @param serial   unit serial number, ASCII, at most 64 characters
 * @param naa      the 8-byte NAA designator (NAA type 3, locally assigned: sgw owns no IEEE OUI)
 */
public record UnitIdentity(String vendor, String product, String revision, String serial, long naa) {

    /** sgw's T10 vendor identification. */
    public static final String VENDOR = "SGW";
    /** The product identification of every sgw volume. */
    public static final String PRODUCT = "sgw volume";
    /** The product revision level (the 0.1 release line). */
    public static final String REVISION = "0.1";

    public UnitIdentity {
        checkAscii("vendor", vendor, 8);
        checkAscii("product", product, 16);
        checkAscii("revision", revision, 4);
        checkAscii("serial", serial, 64);
        if ((naa >>> 60) != 3) {
            throw new IllegalArgumentException("naa must be an NAA type 3 designator: " + Long.toHexString(naa));
        }
    }

    /**
     * The identity of the volume with the stable id {@code volumeId}: the serial number is 16 hex digits of
     * SHA-256("sgw volume " + id), the NAA designator is 3h followed by 60 bits of the same digest.
     */
    public static UnitIdentity forVolume(String volumeId) {
        Objects.requireNonNull(volumeId, "volumeId");
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256")
                    .digest(("sgw volume " + volumeId).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        long bits = ByteBuffer.wrap(digest).getLong();
        String serial = HexFormat.of().withUpperCase().formatHex(digest, 8, 16);
        return new UnitIdentity(VENDOR, PRODUCT, REVISION, serial, 0x3L << 60 | bits >>> 4);
    }

    /** {@code text} padded with spaces to {@code width} ASCII bytes (INQUIRY's fixed-width fields). */
    static byte[] padded(String text, int width) {
        byte[] out = new byte[width];
        java.util.Arrays.fill(out, (byte) ' ');
        byte[] ascii = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(ascii, 0, out, 0, Math.min(width, ascii.length));
        return out;
    }

    private static void checkAscii(String what, String value, int max) {
        Objects.requireNonNull(value, what);
        if (value.isEmpty() || value.length() > max || !value.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
            throw new IllegalArgumentException(what + " must be 1 to " + max + " printable ASCII characters: " + value);
        }
    }
}
