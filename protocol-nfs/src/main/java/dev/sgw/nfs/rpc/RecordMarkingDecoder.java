package dev.sgw.nfs.rpc;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Record marking (RFC 5531 section 11): a TCP stream of fragments, each behind a 4-byte header whose top
 * bit marks the last fragment of a record and whose low 31 bits are the fragment's length. Emits each
 * whole record as one {@link ByteBuf} (the reader releases it).
 *
 * <pre>
 * state     | input                               | next      | action
 * ----------+-------------------------------------+-----------+--------------------------------------------
 * HEADER    | fewer than 4 bytes                  | HEADER    | wait
 * HEADER    | header, record would exceed maximum | TOO_LONG  | drop the record so far, close the connection
 * HEADER    | header                              | FRAGMENT  | remember length and last bit
 * FRAGMENT  | fewer than length bytes             | FRAGMENT  | wait
 * FRAGMENT  | length bytes, not last              | HEADER    | add to the record
 * FRAGMENT  | length bytes, last                  | HEADER    | emit the record
 * TOO_LONG  | anything                            | TOO_LONG  | discard (the connection is closing)
 * </pre>
 *
 * A record that would exceed the maximum cannot be answered (its xid may not even have arrived), so the
 * connection is closed, as Linux's server does; the client reconnects and retransmits.
 */
public final class RecordMarkingDecoder extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(RecordMarkingDecoder.class);

    /** Where the decoder is in the stream. */
    enum State {
        HEADER,
        FRAGMENT,
        TOO_LONG
    }

    private static final int LAST_FRAGMENT = 0x8000_0000;

    private final int maxRecordBytes;
    private State state = State.HEADER;
    private int fragmentLength;
    private boolean lastFragment;
    private CompositeByteBuf record;
    private long recordBytes;

    /** @param maxRecordBytes the largest record accepted, all fragments together */
    public RecordMarkingDecoder(int maxRecordBytes) {
        if (maxRecordBytes <= 0) {
            throw new IllegalArgumentException("maxRecordBytes " + maxRecordBytes);
        }
        this.maxRecordBytes = maxRecordBytes;
    }

    State state() {
        return state;
    }

    // fire and forget: the event loop acts on the channel's state, nothing waits on these futures
    @SuppressWarnings("FutureReturnValueIgnored")
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            switch (state) {
                case HEADER -> {
                    if (in.readableBytes() < 4) {
                        return;
                    }
                    int header = in.readInt();
                    lastFragment = (header & LAST_FRAGMENT) != 0;
                    fragmentLength = header & ~LAST_FRAGMENT;
                    if (recordBytes + fragmentLength > maxRecordBytes) {
                        LOG.warn(
                                "record of more than {} bytes from {} (a fragment of {} after {}): closing the connection",
                                maxRecordBytes,
                                ctx.channel().remoteAddress(),
                                fragmentLength,
                                recordBytes);
                        state = State.TOO_LONG;
                        releaseRecord();
                        in.skipBytes(in.readableBytes());
                        ctx.close();
                        return;
                    }
                    state = State.FRAGMENT;
                }
                case FRAGMENT -> {
                    if (in.readableBytes() < fragmentLength) {
                        return;
                    }
                    ByteBuf fragment = in.readRetainedSlice(fragmentLength);
                    recordBytes += fragmentLength;
                    state = State.HEADER;
                    if (lastFragment && record == null) {
                        out.add(fragment);
                        recordBytes = 0;
                    } else {
                        if (record == null) {
                            record = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
                        }
                        record.addComponent(true, fragment);
                        if (lastFragment) {
                            out.add(record);
                            record = null;
                            recordBytes = 0;
                        }
                    }
                }
                case TOO_LONG -> {
                    in.skipBytes(in.readableBytes());
                    return;
                }
            }
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releaseRecord();
    }

    private void releaseRecord() {
        if (record != null) {
            record.release();
            record = null;
        }
        recordBytes = 0;
    }
}
