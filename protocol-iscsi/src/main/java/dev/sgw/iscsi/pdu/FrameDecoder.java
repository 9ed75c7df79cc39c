package dev.sgw.iscsi.pdu;

import java.nio.ByteBuffer;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Cuts the TCP byte stream into iSCSI PDUs (RFC 7143 section 11.2): the 48-byte BHS, the additional header
 * segments, the optional header digest, the data segment padded to 4 bytes and the optional data digest.
 * Emits one {@link IscsiFrame} per PDU, or an {@link InvalidPdu} when a digest does not match or the data
 * segment exceeds the limit (such a segment is skipped without being buffered).
 *
 * <pre>
 * state    waits for                              then
 * HEADER   48 bytes of BHS                         BODY, or DISCARD when the data segment is too long
 * BODY     AHS + header digest + padded data       emits a frame (or an InvalidPdu on a digest mismatch)
 *          + data digest                           and returns to HEADER
 * DISCARD  the rest of an oversized PDU            emits an InvalidPdu, returns to HEADER
 * </pre>
 *
 * Digests are off until {@link #useDigests} switches them on after login; the connection calls it while it
 * handles the last login PDU, before any full feature phase PDU is decoded. One message is emitted per
 * {@code decode} call so that such a switch applies from the very next PDU.
 */
public final class FrameDecoder extends ByteToMessageDecoder {

    private enum State {
        HEADER,
        BODY,
        DISCARD
    }

    private final int maxDataSegmentLength;
    private boolean headerDigest;
    private boolean dataDigest;
    private State state = State.HEADER;
    private Bhs header;
    private int ahsLength;
    private int dataLength;
    private long discardRemaining;

    /**
     * @param maxDataSegmentLength the longest data segment accepted: the MaxRecvDataSegmentLength the target
     *                             declares
     */
    public FrameDecoder(int maxDataSegmentLength) {
        this.maxDataSegmentLength = maxDataSegmentLength;
    }

    /** Switches header and data digests for the PDUs that follow. */
    public void useDigests(boolean header, boolean data) {
        this.headerDigest = header;
        this.dataDigest = data;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (state == State.HEADER) {
            readHeader(in);
        }
        switch (state) {
            case HEADER -> {}
            case BODY -> readBody(in, out);
            case DISCARD -> discard(in, out);
        }
    }

    private void readHeader(ByteBuf in) {
        if (in.readableBytes() < Bhs.LENGTH) {
            return;
        }
        byte[] bytes = new byte[Bhs.LENGTH];
        in.readBytes(bytes);
        header = Bhs.wrap(bytes);
        ahsLength = header.totalAhsLengthWords() * 4;
        dataLength = header.dataSegmentLength();
        if (dataLength > maxDataSegmentLength) {
            discardRemaining = bodyLength();
            state = State.DISCARD;
        } else {
            state = State.BODY;
        }
    }

    private long bodyLength() {
        return (long) ahsLength
                + (headerDigest ? 4 : 0)
                + dataLength
                + Crc32cDigest.padding(dataLength)
                + (dataDigest && dataLength > 0 ? 4 : 0);
    }

    private void readBody(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < bodyLength()) {
            return;
        }
        state = State.HEADER;
        byte[] ahs = new byte[ahsLength];
        in.readBytes(ahs);
        if (headerDigest) {
            int expected = Crc32cDigest.header(header.bytes(), ahs);
            int got = in.readIntLE();
            if (got != expected) {
                in.skipBytes(dataLength + Crc32cDigest.padding(dataLength) + (dataDigest && dataLength > 0 ? 4 : 0));
                out.add(new InvalidPdu(header, InvalidPdu.Problem.HEADER_DIGEST, "header digest mismatch"));
                return;
            }
        }
        byte[] data = new byte[dataLength];
        in.readBytes(data);
        in.skipBytes(Crc32cDigest.padding(dataLength));
        if (dataDigest && dataLength > 0) {
            int expected = Crc32cDigest.data(ByteBuffer.wrap(data));
            if (in.readIntLE() != expected) {
                out.add(new InvalidPdu(header, InvalidPdu.Problem.DATA_DIGEST, "data digest mismatch"));
                return;
            }
        }
        out.add(new IscsiFrame(header, ahs, ByteBuffer.wrap(data)));
    }

    private void discard(ByteBuf in, List<Object> out) {
        int n = (int) Math.min(in.readableBytes(), discardRemaining);
        in.skipBytes(n);
        discardRemaining -= n;
        if (discardRemaining == 0) {
            state = State.HEADER;
            out.add(new InvalidPdu(
                    header,
                    InvalidPdu.Problem.DATA_TOO_LONG,
                    "data segment of " + dataLength + " bytes exceeds " + maxDataSegmentLength));
        }
    }
}
