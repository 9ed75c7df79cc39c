package dev.sgw;

import picocli.CommandLine.Option;

/** The console's options, shared by {@code sgw demo} and {@code sgw serve} (a picocli mixin). */
final class ConsoleOptions {

    @Option(
            names = "--console-port",
            description = "port of the console: REST API and /metrics, on the --bind address; 0: any free port,"
                    + " -1: no console (default: ${DEFAULT-VALUE})")
    int port = 18080;

    @Option(
            names = "--console-password",
            defaultValue = "${env:SGW_CONSOLE_PASSWORD}",
            description = "the console's admin password (at least 12 characters), kept hashed in the state"
                    + " directory; default: the SGW_CONSOLE_PASSWORD environment variable, else the one kept."
                    + " Without one, a console on an address other than loopback stays off")
    String password;
}
