package dev.sgw.iscsi.pdu;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One PDU as the framing layer sees it (RFC 7143 section 11.2): the basic header segment, the additional
 * header segments and the data segment, without padding or digests. The frame decoder produces it from the
 * byte stream and the frame encoder writes it, adding padding and digests; typed PDUs convert from and to it.
 *
 * @param header the basic header segment; its TotalAHSLength and DataSegmentLength fields are set by
 *               {@link #of} from {@code ahs} and {@code data}
 * @param ahs    the additional header segments, a multiple of 4 bytes (often empty)
 * @param data   the data segment, {@code data.remaining()} bytes (not padded)
 */
// the array components are wire fields carried as decoded; the record is never compared or used as a key
@SuppressWarnings("ArrayRecordComponent")
public record IscsiFrame(Bhs header, byte[] ahs, ByteBuffer data) {

    private static final byte[] NO_AHS = new byte[0];
    private static final ByteBuffer NO_DATA = ByteBuffer.allocate(0);

    public IscsiFrame {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(ahs, "ahs");
        Objects.requireNonNull(data, "data");
        if (ahs.length % 4 != 0) {
            throw new IllegalArgumentException("AHS length must be a multiple of 4: " + ahs.length);
        }
    }

    /** A frame whose header's length fields are set from {@code data} (no AHS). */
    public static IscsiFrame of(Bhs header, ByteBuffer data) {
        header.totalAhsLengthWords(0).dataSegmentLength(data.remaining());
        return new IscsiFrame(header, NO_AHS, data);
    }

    /** A frame whose header's length fields are set from {@code data} (no AHS). */
    public static IscsiFrame of(Bhs header, byte[] data) {
        return of(header, ByteBuffer.wrap(data));
    }

    /** A frame with no data segment. */
    public static IscsiFrame of(Bhs header) {
        return of(header, NO_DATA.duplicate());
    }

    /** A frame with additional header segments (e.g. an extended CDB). */
    public static IscsiFrame withAhs(Bhs header, byte[] ahs, ByteBuffer data) {
        header.totalAhsLengthWords(ahs.length / 4).dataSegmentLength(data.remaining());
        return new IscsiFrame(header, ahs, data);
    }

    /** The data segment as a new array. */
    public byte[] dataBytes() {
        byte[] out = new byte[data.remaining()];
        data.duplicate().get(out);
        return out;
    }
}
