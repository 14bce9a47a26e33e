/**
 * The {@code migrations} Actuator endpoint and the documents it serves. {@link dev.lockstep.endpoint.MigrationsDescriptor}
 * and its parts need no Actuator classes: the command line prints the same document.
 */
@NullMarked
package dev.lockstep.endpoint;

import org.jspecify.annotations.NullMarked;
