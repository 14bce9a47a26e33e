/**
 * {@code java -jar app.jar migrations <command>}: parsing, one handler per verb, text and JSON output. Uses the
 * core and the endpoint's descriptor (which needs no Actuator); never the auto-configuration.
 */
@NullMarked
package dev.lockstep.command;

import org.jspecify.annotations.NullMarked;
