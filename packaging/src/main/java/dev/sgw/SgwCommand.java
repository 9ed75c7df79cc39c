package dev.sgw;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sgw} command line: the entry point of the gateway process. */
@Command(
        name = "sgw",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Storage gateway: NFS, SMB and iSCSI over an object-store bucket.",
        subcommands = {DemoCommand.class, ServeCommand.class, ConfigCommand.class, VersionCommand.class})
public final class SgwCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SgwCommand()).execute(args));
    }
}
