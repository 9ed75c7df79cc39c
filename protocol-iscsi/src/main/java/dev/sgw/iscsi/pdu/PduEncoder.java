package dev.sgw.iscsi.pdu;

import java.util.List;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;

/** Turns a typed {@link IscsiPdu} into its {@link IscsiFrame}. Stateless and shared by all connections. */
@ChannelHandler.Sharable
public final class PduEncoder extends MessageToMessageEncoder<IscsiPdu> {

    public static final PduEncoder INSTANCE = new PduEncoder();

    private PduEncoder() {
        super(IscsiPdu.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, IscsiPdu pdu, List<Object> out) {
        out.add(pdu.toFrame());
    }
}
