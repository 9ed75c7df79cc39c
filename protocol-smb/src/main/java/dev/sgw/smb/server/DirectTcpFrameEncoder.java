package dev.sgw.smb.server;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;

/** Puts the 4-byte direct TCP header (zero, 24-bit big-endian length) before each outgoing message. */
@Sharable
public final class DirectTcpFrameEncoder extends MessageToMessageEncoder<ByteBuf> {
    public static final DirectTcpFrameEncoder INSTANCE = new DirectTcpFrameEncoder();

    private DirectTcpFrameEncoder() {}

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) {
        int length = msg.readableBytes();
        if (length > 0x00FF_FFFF) {
            throw new IllegalArgumentException("SMB message of " + length + " bytes does not fit the 24-bit length");
        }
        ByteBuf header = ctx.alloc().buffer(4).writeInt(length);
        out.add(ctx.alloc().compositeBuffer(2).addComponents(true, header, msg.retain()));
    }
}
