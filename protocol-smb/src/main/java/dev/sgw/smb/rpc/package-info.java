/** DCE/RPC over named pipes on IPC$: srvsvc share enumeration and wkssvc. */
package dev.sgw.smb.rpc;
