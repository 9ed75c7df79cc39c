package dev.sgw.smb.server;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct TCP transport framing (MS-SMB2 2.1): each message follows a 4-byte header, a zero byte and the
 * message's 24-bit big-endian length. Emits each whole message as one {@link ByteBuf} (the reader releases it),
 * which may be made of several buffers: a large message keeps the socket reads' buffers it arrived in.
 *
 * <pre>
 * state   | input                                 | next    | action
 * --------+---------------------------------------+---------+-----------------------------------------
 * HEADER  | fewer than 4 bytes                    | HEADER  | wait
 * HEADER  | first byte not 0, or length too large | BROKEN  | log, close the connection
 * HEADER  | header                                | MESSAGE | remember the length
 * MESSAGE | fewer than length bytes               | MESSAGE | wait
 * MESSAGE | length bytes                          | HEADER  | emit the message
 * BROKEN  | anything                              | BROKEN  | discard (the connection is closing)
 * </pre>
 */
public final class DirectTcpFrameDecoder extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(DirectTcpFrameDecoder.class);

    /** Where the decoder is in the stream. */
    enum State {
        HEADER,
        MESSAGE,
        BROKEN
    }

    private final int maxMessageBytes;
    private State state = State.HEADER;
    private int length;

    public DirectTcpFrameDecoder(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
        // A message longer than one socket read (an 8 MiB WRITE arrives in many) is gathered from the reads'
        // buffers without copying them into one growing buffer on the event loop; a handler that needs the
        // bytes in one piece copies them on its request thread.
        setCumulator(COMPOSITE_CUMULATOR);
    }

    State state() {
        return state;
    }

    @SuppressWarnings("FutureReturnValueIgnored") // closing is fire and forget
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            switch (state) {
                case HEADER -> {
                    if (in.readableBytes() < 4) {
                        return;
                    }
                    int header = in.readInt();
                    length = header & 0x00FF_FFFF;
                    if ((header >>> 24) != 0 || length > maxMessageBytes) {
                        LOG.warn(
                                "SMB message header {} from {} (at most {} bytes taken): closing the connection",
                                String.format("%08x", header),
                                ctx.channel().remoteAddress(),
                                maxMessageBytes);
                        state = State.BROKEN;
                        in.skipBytes(in.readableBytes());
                        ctx.close();
                        return;
                    }
                    state = State.MESSAGE;
                }
                case MESSAGE -> {
                    if (in.readableBytes() < length) {
                        return;
                    }
                    out.add(in.readRetainedSlice(length));
                    state = State.HEADER;
                }
                case BROKEN -> {
                    in.skipBytes(in.readableBytes());
                    return;
                }
            }
        }
    }
}
