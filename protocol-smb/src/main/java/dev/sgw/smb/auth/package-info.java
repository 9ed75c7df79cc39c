/**
 * SMB authentication: SPNEGO wrapping NTLMSSP, NTLMv2 verified against the gateway's SMB users.
 *
 * <p>{@link dev.sgw.smb.auth.SecurityExchange} is the only public class: the SESSION_SETUP handler feeds it
 * each security buffer. Inside: {@code Spnego} (negTokenInit/negTokenResp over the small {@code Der} codec),
 * {@code NtlmAcceptor} (the NEGOTIATE/CHALLENGE/AUTHENTICATE exchange of one logon), {@code NtlmMessages}
 * and {@code AvPairs} (the NTLMSSP wire formats), {@code NtlmFlags}, and {@code NtlmCrypto} (NTOWFv2, the
 * NT proof, the key exchange, signing keys and the NTLMSSP signature that SPNEGO's mechListMIC is).
 */
package dev.sgw.smb.auth;
