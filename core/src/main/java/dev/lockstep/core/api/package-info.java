/**
 * The public values of the core: settings, modes, run results and listeners, the status model and the update and
 * rollback targets.
 * <p>
 * Uses Liquibase types only; no other core package.
 */
@NullMarked
package dev.lockstep.core.api;

import org.jspecify.annotations.NullMarked;
