package dev.sgw.nfs.xdr;

/** A value that writes itself as XDR, e.g. the results of an RPC procedure. */
@FunctionalInterface
public interface XdrWritable {
    /** Nothing: the {@code void} results of a procedure. */
    XdrWritable VOID = out -> {};

    void writeTo(XdrEncoder out);
}
