/**
 * The {@code migrations} health contributor.
 */
@NullMarked
package dev.lockstep.health;

import org.jspecify.annotations.NullMarked;
