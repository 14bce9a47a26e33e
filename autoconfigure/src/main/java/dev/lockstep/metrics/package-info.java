/**
 * Lockstep's Micrometer meters.
 */
@NullMarked
package dev.lockstep.metrics;

import org.jspecify.annotations.NullMarked;
