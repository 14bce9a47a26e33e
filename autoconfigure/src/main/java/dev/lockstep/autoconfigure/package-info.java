/**
 * Spring Boot auto-configuration for Lockstep: properties, connection details, the startup run, and the
 * configurations that register the command runner, the endpoint, the health contributor and the metrics. It may
 * use every other Lockstep package; none of them uses it.
 */
@NullMarked
package dev.lockstep.autoconfigure;

import org.jspecify.annotations.NullMarked;
