/** SMB2/3 signing, key derivation, encryption and the pre-authentication integrity hash. */
package dev.sgw.smb.crypto;
