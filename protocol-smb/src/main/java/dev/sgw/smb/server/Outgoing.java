package dev.sgw.smb.server;

import java.util.List;
import java.util.function.Consumer;

import dev.sgw.smb.crypto.MessageSigner;
import dev.sgw.smb.wire.Smb2Header;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

/**
 * One response message (header and body) on its way out, and how a (compounded) set of them is sent: each
 * but the last padded to 8 bytes and pointed at the next by NextCommand, each signed by its signer, the
 * whole encrypted when the request came encrypted (MS-SMB2 3.3.4.1).
 *
 * @param message the header and body; {@link #send} releases it
 * @param signer  signs this message, or null
 * @param sent    called with the message as it goes out (padded and signed, before encryption), for the
 *     pre-authentication hash; may be null
 */
record Outgoing(ByteBuf message, MessageSigner signer, Consumer<ByteBuf> sent) {
    Outgoing(ByteBuf message, MessageSigner signer) {
        this(message, signer, null);
    }

    /** Pads, chains, signs and (when {@code sealFor} is given) encrypts {@code messages}, then writes them. */
    @SuppressWarnings("FutureReturnValueIgnored") // a failed write closes the channel; nothing waits on it
    static void send(Connection connection, List<Outgoing> messages, Session sealFor) {
        if (messages.size() == 1 && sealFor == null) {
            connection.channel().writeAndFlush(signed(messages.getFirst(), true));
            return;
        }
        CompositeByteBuf all = Unpooled.compositeBuffer(Math.max(2, messages.size()));
        for (int i = 0; i < messages.size(); i++) {
            all.addComponent(true, signed(messages.get(i), i == messages.size() - 1));
        }
        ByteBuf wire = all;
        if (sealFor != null) {
            try {
                wire = sealFor.sealer().seal(all, sealFor.id());
            } finally {
                all.release();
            }
        }
        connection.channel().writeAndFlush(wire);
    }

    /** The message padded and chained when it is not the last one, and signed when it has a signer. */
    private static ByteBuf signed(Outgoing out, boolean last) {
        ByteBuf m = out.message();
        if (!last) {
            while (m.readableBytes() % 8 != 0) {
                m.writeByte(0);
            }
            m.setIntLE(m.readerIndex() + 20, m.readableBytes());
        }
        MessageSigner signer = out.signer();
        if (signer != null) {
            int flags = m.getIntLE(m.readerIndex() + 16);
            m.setIntLE(m.readerIndex() + 16, flags | Smb2Header.FLAGS_SIGNED);
            signer.sign(m, m.readerIndex(), m.readableBytes());
        }
        if (out.sent() != null) {
            out.sent().accept(m);
        }
        return m;
    }
}
