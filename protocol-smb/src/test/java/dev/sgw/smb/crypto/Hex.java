package dev.sgw.smb.crypto;

import java.util.HexFormat;
import java.util.Locale;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/** Hex test data as the published vectors print it: any case, spread over lines. */
final class Hex {
    private Hex() {}

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", "").toLowerCase(Locale.ROOT));
    }

    static ByteBuf buf(String hex) {
        return Unpooled.wrappedBuffer(bytes(hex));
    }

    static String of(ByteBuf buf) {
        return ByteBufUtil.hexDump(buf).toUpperCase(Locale.ROOT);
    }

    static String of(byte[] bytes) {
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }

    /** {@code hex} as {@link #of} prints it. */
    static String norm(String hex) {
        return hex.replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
    }
}
