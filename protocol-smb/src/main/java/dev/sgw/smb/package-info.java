/** The SMB 2/3 server over FileVolume. */
package dev.sgw.smb;
