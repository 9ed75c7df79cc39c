/** XDR (RFC 4506): the external data representation every ONC RPC message is written in. */
package dev.sgw.nfs.xdr;
