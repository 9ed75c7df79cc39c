/** SMB2 wire structures shared by every command: the header, command codes, NTSTATUS values. */
package dev.sgw.smb.wire;
