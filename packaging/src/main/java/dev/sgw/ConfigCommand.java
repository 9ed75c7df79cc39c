package dev.sgw;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.sgw.core.manage.ConfigFileException;
import dev.sgw.core.manage.GatewayConfigFile;
import dev.sgw.core.manage.GatewayState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sgw config check FILE}: checks a configuration file as {@code sgw serve} would, without starting. */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = "Work with configuration files.",
        subcommands = {ConfigCommand.Check.class})
final class ConfigCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Exit status 0 and a summary when the file is valid; 2 and every problem with its JSON path when not. */
    @Command(name = "check", mixinStandardHelpOptions = true, description = "Check a configuration file.")
    static final class Check implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "the configuration (JSON)")
        Path file;

        @Override
        public Integer call() {
            try {
                GatewayState s = GatewayConfigFile.load(file).entities();
                System.out.printf(
                        "%s: valid: %d resources, %d cache disks, %d NFS shares, %d SMB shares, %d SMB users,"
                                + " %d iSCSI volumes%n",
                        file,
                        s.resources().size(),
                        s.cacheDisks().size(),
                        s.nfsShares().size(),
                        s.smbShares().size(),
                        s.smbUsers().size(),
                        s.iscsiVolumes().size());
                return 0;
            } catch (ConfigFileException e) {
                System.err.println("sgw: " + e.getMessage());
                return 2;
            } catch (NoSuchFileException e) {
                System.err.println("sgw: " + file + ": no such file");
                return 2;
            } catch (IOException e) {
                System.err.println("sgw: " + file + ": " + e.getMessage());
                return 2;
            }
        }
    }
}
