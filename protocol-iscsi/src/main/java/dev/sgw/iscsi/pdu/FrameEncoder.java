package dev.sgw.iscsi.pdu;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;

/**
 * Writes an {@link IscsiFrame}: BHS, AHS, header digest, data segment (not copied), padding, data digest.
 * Digests are off until {@link #useDigests} switches them on, which the connection does right after it has
 * written the final login response.
 */
public final class FrameEncoder extends MessageToMessageEncoder<IscsiFrame> {
    private boolean headerDigest;
    private boolean dataDigest;

    public FrameEncoder() {
        super(IscsiFrame.class);
    }

    /** Switches header and data digests for the PDUs written from now on. */
    public void useDigests(boolean header, boolean data) {
        this.headerDigest = header;
        this.dataDigest = data;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, IscsiFrame frame, List<Object> out) {
        out.add(encode(frame, headerDigest, dataDigest));
    }

    /** The bytes of {@code frame} on the wire. */
    public static ByteBuf encode(IscsiFrame frame, boolean headerDigest, boolean dataDigest) {
        byte[] bhs = frame.header().bytes();
        byte[] ahs = frame.ahs();
        int dataLength = frame.data().remaining();
        int padding = Crc32cDigest.padding(dataLength);
        ByteBuf head = Unpooled.buffer(bhs.length + ahs.length + 4);
        head.writeBytes(bhs).writeBytes(ahs);
        if (headerDigest) {
            head.writeIntLE(Crc32cDigest.header(bhs, ahs));
        }
        if (dataLength == 0) {
            return head;
        }
        ByteBuf tail = Unpooled.buffer(padding + 4);
        tail.writeZero(padding);
        if (dataDigest) {
            tail.writeIntLE(Crc32cDigest.data(frame.data()));
        }
        return Unpooled.wrappedBuffer(head, Unpooled.wrappedBuffer(frame.data().duplicate()), tail);
    }
}
