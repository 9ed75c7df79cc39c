package dev.sgw;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** {@code sgw version}: the gateway's version (from its jar's manifest) and the Java runtime it runs on. */
@Command(name = "version", description = "Print the version.")
final class VersionCommand implements Runnable {

    /** This build's version: the jar manifest's Implementation-Version, or "development" from a source tree. */
    static String version() {
        String v = VersionCommand.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    @Override
    public void run() {
        System.out.println("sgw " + version());
        System.out.println("java " + Runtime.version() + " (" + System.getProperty("java.home") + ")");
    }

    /** picocli's --version. */
    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"sgw " + version()};
        }
    }
}
