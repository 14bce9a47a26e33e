/**
 * Benchmarks of Lockstep against the alternatives.
 */
@NullMarked
package dev.lockstep.benchmarks;

import org.jspecify.annotations.NullMarked;
