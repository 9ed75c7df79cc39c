package dev.sgw.nfs.rpc;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;

/**
 * Frames each outbound record (RFC 5531 section 11) as one last fragment: a 4-byte header with the top
 * bit set and the length, then the record itself (not copied). Stateless; one instance serves all channels.
 */
@Sharable
public final class RecordMarkingEncoder extends MessageToMessageEncoder<ByteBuf> {
    public static final RecordMarkingEncoder INSTANCE = new RecordMarkingEncoder();

    private RecordMarkingEncoder() {
        super(ByteBuf.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf record, List<Object> out) {
        ByteBuf header = ctx.alloc().buffer(4);
        header.writeInt(0x8000_0000 | record.readableBytes());
        out.add(header);
        out.add(record.retain());
    }
}
