/** SMB authentication: SPNEGO wrapping NTLMSSP, NTLMv2 verified against the gateway's SMB users. */
package dev.sgw.smb.auth;
