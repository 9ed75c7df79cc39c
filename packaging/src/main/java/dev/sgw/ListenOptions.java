package dev.sgw;

import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine.Option;

/**
 * Where the gateway's protocol servers listen: the options {@code sgw demo} and {@code sgw serve} share
 * (a picocli mixin; the README documents them).
 */
final class ListenOptions {

    @Option(names = "--bind", description = "address to listen on (default: ${DEFAULT-VALUE})")
    String bind = "127.0.0.1";

    @Option(names = "--nfs-port", description = "NFS port (default: ${DEFAULT-VALUE})")
    int nfsPort = 2049;

    @Option(
            names = "--portmap",
            description =
                    "portmap/rpcbind on port 111 for showmount and mounts without port=: "
                            + "auto (listen there, else register with the host's rpcbind), off, or another port (default: ${DEFAULT-VALUE})")
    String portmap = "auto";

    @Option(names = "--smb-port", description = "SMB port (default: ${DEFAULT-VALUE})")
    int smbPort = 445;

    @Option(names = "--iscsi-port", description = "iSCSI port (default: ${DEFAULT-VALUE})")
    int iscsiPort = 3260;

    /**
     * The port of each protocol server, by protocol name, for {@link GatewayProcess#start}; sets the portmap
     * choice for the NFS server ({@code sgw.nfs.portmap}).
     */
    Map<String, Integer> protocolPorts() {
        System.setProperty("sgw.nfs.portmap", portmap);
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("nfs", nfsPort);
        ports.put("smb", smbPort);
        ports.put("iscsi", iscsiPort);
        return ports;
    }
}
