/** REST API, web console, metrics and alarms over the management service. */
package dev.sgw.console;
