/**
 * The SMB server: transport, connection state, NEGOTIATE, SESSION_SETUP, tree connects, the command dispatch
 * (credits, compounds, async replies) and the types handlers see.
 */
package dev.sgw.smb.server;
