package dev.sgw.iscsi.session;

import java.security.SecureRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import dev.sgw.iscsi.pdu.FrameDecoder;
import dev.sgw.iscsi.pdu.FrameEncoder;
import dev.sgw.iscsi.pdu.PduDecoder;
import dev.sgw.iscsi.pdu.PduEncoder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * The pipeline of an iSCSI connection: frame decoder -> PDU decoder -> idle detection -> connection, and
 * PDU encoder -> frame encoder on the way out.
 */
public final class IscsiChannelInitializer extends ChannelInitializer<Channel> {
    private final TargetPortal portal;
    private final SessionTable sessions;
    private final TargetSettings settings;
    private final Executor executor;
    private final SecureRandom random = new SecureRandom();

    public IscsiChannelInitializer(
            TargetPortal portal, SessionTable sessions, TargetSettings settings, Executor executor) {
        this.portal = portal;
        this.sessions = sessions;
        this.settings = settings;
        this.executor = executor;
    }

    @Override
    protected void initChannel(Channel ch) {
        FrameDecoder frameDecoder =
                new FrameDecoder(Math.max(8192, settings.limits().maxRecvDataSegmentLength()));
        FrameEncoder frameEncoder = new FrameEncoder();
        ch.pipeline()
                .addLast("frame-decoder", frameDecoder)
                .addLast("frame-encoder", frameEncoder)
                .addLast("pdu-decoder", PduDecoder.TARGET)
                .addLast("pdu-encoder", PduEncoder.INSTANCE)
                .addLast("idle", new IdleStateHandler(settings.nopInterval().toMillis(), 0, 0, TimeUnit.MILLISECONDS))
                .addLast(
                        "connection",
                        new IscsiConnection(portal, sessions, settings, executor, random, frameDecoder, frameEncoder));
    }
}
