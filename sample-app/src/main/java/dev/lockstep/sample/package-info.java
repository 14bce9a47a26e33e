/**
 * The sample application.
 */
@NullMarked
package dev.lockstep.sample;

import org.jspecify.annotations.NullMarked;
